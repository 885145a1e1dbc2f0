import { headers } from "next/headers";
import { checkedInRequest } from "@/app/_components/connection/checked-in-request";
import { ConnectionPanel } from "@/app/_components/connection/connection-panel";
import { adviceOf, statusLabel } from "@/app/_components/connection/wording";
import { Notice } from "@/app/_components/notice";
import type { Person } from "@/lib/model/actor";
import type { Connection } from "@/lib/model/connection";
import { AppError } from "@/lib/platform/errors/app-error";
import { PAGE_MAX_DURATION_S, withinMaxDuration } from "@/lib/platform/function-deadline";
import { checkConnection, checkTakesUpToSeconds } from "@/lib/use-cases/connection/check";
import { readFreshSeconds, retrieveEndUser } from "@/lib/use-cases/end-users/retrieve";
import { budgets, conductorReadBudget, settlePerEndUserFailure, spendPerEndUser } from "@/lib/web/rate-limit/budgets";

const HEADLINES: Record<Connection["status"], { tone: "ok" | "info" | "warn"; text: string }> = {
  connected: { tone: "ok", text: "Connected. Your QuickBooks Desktop answered Conductor: your data can flow to us." },
  in_progress: {
    tone: "info",
    text: "The setup is done, but QuickBooks Desktop has not answered yet. Keep QuickBooks Desktop and QuickBooks Web Connector open on the Windows computer that runs QuickBooks Desktop; the status below updates by itself.",
  },
  not_started: {
    tone: "warn",
    text: "The setup was not completed, so QuickBooks Desktop is not connected yet. Open the setup again below, on the Windows computer that runs QuickBooks Desktop.",
  },
  needs_attention: {
    tone: "warn",
    text: "The setup is done, but QuickBooks Desktop could not be reached. Follow Conductor's advice below, then check again.",
  },
};

/**
 * Conductor's record of the end-user, read now (a copy cached a moment ago may predate the setup
 * just completed), with the status derived from it: a completed setup shows there (its
 * connection's last successful request). Null when it cannot be read.
 */
async function conductorsRecord(viewer: Person, endUserId: string): Promise<Connection | null> {
  return retrieveEndUser(viewer, endUserId, { budget: conductorReadBudget(viewer), freshSeconds: 0 }).then(
    ({ endUser, fresh }) => (fresh ? endUser.connection : null),
    () => null,
  );
}

/**
 * Runs the check (within the end-user's check budget) and says what happened. With the budget
 * spent, Conductor's record of the end-user answers instead, so a setup just completed is not
 * reported as the check before it.
 */
export async function CheckOutcome({
  viewer,
  endUserId,
  last,
}: {
  viewer: Person;
  endUserId: string;
  last: Connection;
}) {
  const panel = (connection: Connection) => (
    <ConnectionPanel
      endUserId={endUserId}
      initial={connection}
      actions={["open", "email", "check"]}
      checkSeconds={checkTakesUpToSeconds()}
      freshSeconds={readFreshSeconds()}
    />
  );
  /** `checkedNow`: the status is a check's run for this page; else it is the cache's, which may have it from Conductor's record. */
  const found = (connection: Connection, checkedNow: boolean) => {
    const headline = HEADLINES[connection.status];
    // Conductor's advice in the panel carries the check's request id, and follows the checks after
    // it: said there alone, rather than twice, and then two ids once a later check is shown. A
    // status the check did not find (QuickBooks answered since) is not tied to the check's id.
    const advised = adviceOf(connection);
    return (
      <>
        {/* Not a live region: the panel's status line below says each change once. */}
        <Notice
          tone={headline.tone}
          conductorRequestId={advised || !checkedNow ? undefined : connection.conductorRequestId}
          testId="connection-outcome"
          live={false}
        >
          {headline.text}
        </Notice>
        {panel(connection)}
      </>
    );
  };
  // Checked already: by "Check now" in this very request (a form posted without JavaScript), or,
  // when the browser fetches the page again rather than navigating to it (the router refreshing
  // it, as its panel does after a check or a change of status: `Sec-Fetch-Dest: empty`), by
  // whatever updated the cache it was just read from. A second check would spend the budget twice
  // and ask the customer's QuickBooks Desktop twice.
  const checked = await checkedInRequest(endUserId);
  if (checked) return found(checked, true);
  if ((await headers()).get("sec-fetch-dest") === "empty") return found(last, false);
  const budget = await spendPerEndUser(budgets.connectionCheck, endUserId);
  if (!budget.allowed) {
    const known = await conductorsRecord(viewer, endUserId);
    // Not checked now: even a Connected record says what Conductor last knew, not that QuickBooks answers now.
    return (
      <>
        <Notice tone={known?.status === "connected" ? "ok" : "info"} testId="connection-outcome">
          {known
            ? `Status as read just now: ${statusLabel(known.status)}.`
            : `Conductor could not be asked just now; last known status: ${statusLabel(last.status)}.`}{" "}
          Not checked again now. {budgets.connectionCheck.spent} Loading this page checks too, as Check now does. Check
          again in {budget.retryAfterSeconds} seconds.
        </Notice>
        {panel(known ?? last)}
      </>
    );
  }
  // Rendered in the page's function: the check ends in time for this answer to be streamed.
  const outcome = await withinMaxDuration(PAGE_MAX_DURATION_S, () => checkConnection(viewer, endUserId)).then(
    ({ connection }) => connection,
    (error: unknown) => {
      settlePerEndUserFailure(budgets.connectionCheck, endUserId, error);
      if (error instanceof AppError) return error;
      throw error;
    },
  );
  if (outcome instanceof AppError) {
    // The status cached before the setup would say it never happened: Conductor's record shows a completed one.
    const known = await conductorsRecord(viewer, endUserId);
    return (
      <>
        <Notice tone="warn" conductorRequestId={outcome.details.conductorRequestId} testId="connection-outcome">
          We could not check your connection just now: {outcome.message}{" "}
          {known
            ? `Status as read just now: ${statusLabel(known.status)}.`
            : `Your last known status is ${statusLabel(last.status)}.`}
        </Notice>
        {panel(known ?? last)}
      </>
    );
  }
  return found(outcome, true);
}
