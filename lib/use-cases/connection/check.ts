/**
 * The customer's QuickBooks Desktop connection: read from the cache (pages poll it), or checked
 * now through Conductor's health check. What the check finds about the customer's side is stored
 * as the new status; a failure of ours or Conductor's (5xx, timeout) keeps the last one and is
 * reported as the error it is.
 */
import "server-only";
import { databaseNow } from "@/lib/data/clock";
import { findConnectionSubject, recordConnectionCheck, type CheckRecord } from "@/lib/data/connections";
import { saveUpstreamEndUser } from "@/lib/data/end-user-writes";
import { auditActor, type Actor } from "@/lib/model/actor";
import { SYSTEM_ACTOR } from "@/lib/model/audit";
import type { Connection, ConnectionCheck } from "@/lib/model/connection";
import { env } from "@/lib/platform/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { log } from "@/lib/platform/log";
import { offboarded } from "@/lib/use-cases/end-users/offboarded";
import { conductor } from "@/lib/wiring/vendors";
import { connectionSubject, offboardingOr, type EndUserBudget } from "./subject";

/** How long a check may wait for QuickBooks Desktop to answer through Conductor, in whole seconds: what pages promise. */
export const checkTakesUpToSeconds = (): number => Math.ceil(env.CONDUCTOR_HEALTH_CHECK_TIMEOUT_MS / 1_000);

/** GET /api/end-users/[id]/connection: the cached connection; never calls Conductor. */
export async function getConnection(actor: Actor, endUserId: string): Promise<Connection> {
  return (await connectionSubject(actor, endUserId)).connection;
}

/** What a health-check failure says about the customer's side, or null when it says nothing. */
function customerSide(error: unknown): CheckRecord | null {
  if (!(error instanceof AppError) || error.details.provider !== "conductor") return null;
  const conductorRequestId = error.details.conductorRequestId ?? null;
  if (error.code === "integration_not_set_up") return { outcome: "not_set_up", message: null, conductorRequestId };
  if (error.code !== "integration_connection_error") return null;
  const message = error.details.userFacingMessage ?? error.message;
  return { outcome: "connection_error", message, conductorRequestId };
}

async function healthCheck(endUserId: string): Promise<CheckRecord> {
  try {
    const { conductorRequestId } = await conductor().qbd.healthCheck({ conductorEndUserId: endUserId });
    return { outcome: "passed", message: null, conductorRequestId: conductorRequestId ?? null };
  } catch (error) {
    const record = customerSide(error);
    if (!record) throw error;
    return record;
  }
}

/**
 * The cached connections may predate what the check found (a flow just completed): Conductor's
 * end-user is read again, best effort, so the page shows the connection the status speaks of.
 */
async function refreshConnections(endUserId: string, lastCheck: ConnectionCheck, actor: string): Promise<void> {
  try {
    const observedAt = await databaseNow();
    const { data, conductorRequestId } = await conductor().retrieveEndUser(endUserId);
    await saveUpstreamEndUser(data, { observedAt, lastCheck, auditAs: { actor, conductorRequestId } });
  } catch (error) {
    log.warn("connection.refresh_failed", { endUserId, code: error instanceof AppError ? error.code : "internal" });
  }
}

/** POST /api/end-users/[id]/connection/check, "Check now", and the page Conductor's flow returns to. */
export async function checkConnection(
  actor: Actor,
  endUserId: string,
  options: { budget?: EndUserBudget } = {},
): Promise<{ connection: Connection }> {
  await connectionSubject(actor, endUserId, options.budget);
  return { connection: await runCheck(endUserId, auditActor(actor)) };
}

/**
 * The page Conductor's setup returned to, in a browser that proved it had the setup open
 * (setup-return.ts) but is not the end-user's own customer's: signed out on the computer that runs
 * QuickBooks, say. The check runs in the job's name and its outcome is only stored, for whoever
 * reads the cache. The caller has spent a unit of the end-user's budget of such checks; nothing
 * is asked for an end-user not cached, or offboarded (meanwhile: the caller asks
 * `checkableAfterSetupReturn` first). Whether it checked.
 */
export async function checkAfterSetupReturn(endUserId: string): Promise<boolean> {
  if (!(await checkableAfterSetupReturn(endUserId))) return false;
  await runCheck(endUserId, SYSTEM_ACTOR);
  return true;
}

/** Whether a setup return would have `endUserId` checked: cached, and not offboarded. */
export async function checkableAfterSetupReturn(endUserId: string): Promise<boolean> {
  const subject = await findConnectionSubject(endUserId);
  return Boolean(subject && !subject.deletedAt);
}

async function runCheck(endUserId: string, actor: string): Promise<Connection> {
  const record = await healthCheck(endUserId).catch(async (error: unknown) => {
    throw await offboardingOr(endUserId, error);
  });
  const stored = await recordConnectionCheck(endUserId, record, actor);
  // Offboarded while Conductor answered: the check speaks of an end-user that is gone.
  if (!stored.stored) throw stored.deletedAt ? offboarded(stored.deletedAt) : new AppError("end_user_not_found");
  await refreshConnections(endUserId, { ...record, at: stored.connection.checkedAt! }, actor);
  return (await findConnectionSubject(endUserId))?.connection ?? stored.connection;
}
