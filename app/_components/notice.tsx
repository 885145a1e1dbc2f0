import type { ReactNode } from "react";

/** A message box; with a Conductor request id when there is one, so support can trace the call. */
export function Notice({
  tone,
  conductorRequestId,
  children,
  testId,
}: {
  tone: "info" | "warn" | "error" | "ok";
  conductorRequestId?: string | null;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`notice notice-${tone}`} role={tone === "error" ? "alert" : "status"} data-testid={testId}>
      <p>{children}</p>
      {conductorRequestId && (
        <p>
          Conductor request id: <code>{conductorRequestId}</code>
        </p>
      )}
    </div>
  );
}
