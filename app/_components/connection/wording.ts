import { CONNECTION_STATUS_LABELS, type ConnectionStatus } from "@/lib/model/connection-status";

/** The badge class for each status, from the shared badge styles. */
export const BADGE: Record<ConnectionStatus, string> = {
  not_started: "badge badge-muted",
  in_progress: "badge badge-warn",
  connected: "badge badge-ok",
  needs_attention: "badge badge-bad",
};

/** What each status means for the customer, in a sentence. */
const MEANING: Record<ConnectionStatus, string> = {
  // True of a setup never completed and of a connection since removed in Conductor alike.
  not_started: "QuickBooks Desktop is not connected: Conductor has no completed setup for it.",
  in_progress:
    "The setup was completed, but QuickBooks Desktop has not answered a request yet. Keep QuickBooks Desktop and " +
    "QuickBooks Web Connector open on that computer.",
  connected: "QuickBooks Desktop is connected: it answered Conductor.",
  needs_attention: "QuickBooks Desktop could not be reached. Only someone at that computer can fix it:",
};

export const describeStatus = (status: ConnectionStatus) => MEANING[status];

export const statusLabel = (status: ConnectionStatus) => CONNECTION_STATUS_LABELS[status];
