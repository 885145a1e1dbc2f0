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
  focusOnLoad = false,
}: {
  tone: "info" | "warn" | "error" | "ok";
  conductorRequestId?: string | null;
  children: ReactNode;
  testId?: string;
  live?: boolean;
  /** The browser starts the page here (a live region is not read out when a page loads with it). */
  focusOnLoad?: boolean;
}) {
  const role = live ? (tone === "error" ? "alert" : "status") : undefined;
  return (
    <div
      className={`notice notice-${tone}`}
      role={role}
      data-testid={testId}
      {...(focusOnLoad ? { tabIndex: -1, autoFocus: true } : {})}
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
