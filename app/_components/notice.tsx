import type { ReactNode } from "react";

/**
 * A message box; with a Conductor request id when there is one, so support can trace the call.
 * It is a live region of its own unless `live` is false: inside another one, it would be read twice.
 */
export function Notice({
  tone,
  conductorRequestId,
  children,
  testId,
  live = true,
  focusable = false,
}: {
  tone: "info" | "warn" | "error" | "ok";
  conductorRequestId?: string | null;
  children: ReactNode;
  testId?: string;
  live?: boolean;
  /**
   * May take the focus (a form's outcome); with "on-load", the browser starts the page here (a live
   * region is not read out when a page loads with it).
   */
  focusable?: boolean | "on-load";
}) {
  const role = live ? (tone === "error" ? "alert" : "status") : undefined;
  return (
    <div
      className={`notice notice-${tone}`}
      role={role}
      data-testid={testId}
      tabIndex={focusable ? -1 : undefined}
      autoFocus={focusable === "on-load" || undefined}
    >
      <p>{children}</p>
      {conductorRequestId && (
        <p>
          Conductor request id: <code>{conductorRequestId}</code>
        </p>
      )}
    </div>
  );
}
