import type { Connection } from "@/lib/model/connection";
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
    "QuickBooks Web Connector open on the Windows computer that runs QuickBooks Desktop.",
  // Past tense: nothing here asks QuickBooks Desktop now; the facts beside it say when it last did.
  connected: "QuickBooks Desktop is connected: it answered Conductor the last time it was asked.",
  needs_attention:
    "QuickBooks Desktop could not be reached. Only someone at the Windows computer that runs it can fix this:",
};

/** Who reads the status: the customer whose QuickBooks Desktop it is, or an operator. */
export type Reader = "customer" | "operator";

/** Where the customer's sentence speaks of "the Windows computer that runs it", the operator's says whose it is. */
const FOR_OPERATOR: Partial<Record<ConnectionStatus, string>> = {
  in_progress:
    "The setup was completed, but QuickBooks Desktop has not answered a request yet. QuickBooks Desktop and " +
    "QuickBooks Web Connector must be open on the customer's computer.",
  needs_attention:
    "QuickBooks Desktop could not be reached. Only someone at the customer's computer can fix it; Conductor's advice to them:",
};

export const describeStatus = (status: ConnectionStatus, reader: Reader = "customer") =>
  (reader === "operator" && FOR_OPERATOR[status]) || MEANING[status];

export const statusLabel = (status: ConnectionStatus) => CONNECTION_STATUS_LABELS[status];

/** Conductor's advice for someone at the computer, shown beside a Needs attention status; null when there is none to show. */
export const adviceOf = ({ status, message }: Connection): string | null =>
  status === "needs_attention" ? message : null;
