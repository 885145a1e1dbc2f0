/**
 * The one word the product shows for "is this customer's QuickBooks Desktop reachable", and the
 * single rule that derives it from what Conductor told us: the end-user's integration connections
 * (from its list or retrieve answers) and the last health check we ran.
 */
import { z } from "zod";
import { choiceError } from "./text";
import { CONNECTION_STATUSES, lastQuickBooksAnswer, type ConnectionStatus } from "./connection-status";

export { CONNECTION_STATUS_LABELS, CONNECTION_STATUSES, type ConnectionStatus } from "./connection-status";

export const connectionStatusSchema = z.enum(CONNECTION_STATUSES, {
  error: choiceError(`must be one of ${CONNECTION_STATUSES.join(", ")}`),
});

/**
 * What a health check found: it passed; QuickBooks Desktop could not be reached (only the
 * customer can fix that); or the auth flow was never completed.
 */
export const CHECK_OUTCOMES = ["passed", "connection_error", "not_set_up"] as const;

export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

export type ConnectionCheck = {
  outcome: CheckOutcome;
  at: Date;
  /** Conductor's userFacingMessage, for a connection error. */
  message: string | null;
  conductorRequestId: string | null;
};

/** The `connection` object of every EndUser answer. */
export const connectionSchema = z.object({
  status: connectionStatusSchema,
  /** When a health check last ran; null if never. */
  checkedAt: z.date().nullable(),
  /** What the customer must do, for needs_attention; null otherwise. */
  message: z.string().nullable(),
  conductorRequestId: z.string().nullable(),
});

export type Connection = z.infer<typeof connectionSchema>;

type ConnectionFacts = { integrationSlug: string; createdAt: Date; lastSuccessfulRequestAt: Date | null };

/**
 * The status, from the connections in Conductor's record and the last health check. The newest
 * evidence wins: a check decides unless the connections show a successful request or a new
 * connection since it ran (a check speaks only of the connections it found: a setup done again
 * after it is news it never saw), or a record asked for after it lists no QuickBooks Desktop
 * connection at all (it was removed). `observedAt` is when that record was asked for
 * (database clock), "now" for one just received; without it, the record is taken as older than
 * the check (the connections a check finds cached).
 */
export function deriveConnectionStatus(
  connections: readonly ConnectionFacts[],
  lastCheck: Pick<ConnectionCheck, "outcome" | "at"> | null,
  observedAt?: Date | "now",
): ConnectionStatus {
  const qbd = connections.filter((connection) => connection.integrationSlug === "quickbooks_desktop");
  const lastSuccess = lastQuickBooksAnswer(qbd);
  const recordIsNewer = observedAt === "now" || (observedAt !== undefined && lastCheck && observedAt > lastCheck.at);
  if (lastCheck && qbd.length === 0 && recordIsNewer) return "not_started";
  if (lastCheck) {
    if (lastSuccess && lastSuccess > lastCheck.at) return "connected";
    if (qbd.some((connection) => connection.createdAt > lastCheck.at)) return "in_progress";
    if (lastCheck.outcome === "passed") return "connected";
    return lastCheck.outcome === "connection_error" ? "needs_attention" : "not_started";
  }
  if (lastSuccess) return "connected";
  return qbd.length > 0 ? "in_progress" : "not_started";
}

/** The `connection` object for a stored status and the check it came with. */
export function connectionFrom(status: ConnectionStatus, lastCheck: ConnectionCheck | null): Connection {
  return {
    status,
    checkedAt: lastCheck?.at ?? null,
    message: status === "needs_attention" ? (lastCheck?.message ?? null) : null,
    conductorRequestId: lastCheck?.conductorRequestId ?? null,
  };
}
