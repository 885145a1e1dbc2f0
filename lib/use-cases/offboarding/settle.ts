/**
 * Deleting an end-user in Conductor exactly once, and keeping our row as a tombstone only once
 * Conductor confirmed it is gone, whatever happens: double clicks, two operators, timeouts, a
 * DELETE that landed but whose answer was lost, a crash.
 *
 * 1. The end-user's offboarding is taken in one SQL statement; a concurrent request gets 409.
 *    Taking it records that a DELETE is about to leave.
 * 2. If an earlier DELETE's outcome is unknown, Conductor is asked for the end-user first: its
 *    404 RESOURCE_MISSING means that DELETE landed, and no other is sent.
 * 3. The DELETE is sent once (no SDK retries). 200 or that 404 (already gone): the row becomes a
 *    tombstone with one audit event, in one statement guarded by the row's state. A timeout or
 *    5xx leaves the outcome unknown for step 2 (the next attempt, or the reconcile job). A refusal
 *    (another 4xx, a 404 without Conductor's code among them) deleted nothing: the end-user stays
 *    live.
 */
import "server-only";
import { recordAudit } from "@/lib/data/audit";
import { findEndUserById } from "@/lib/data/end-users";
import {
  acquireOffboarding,
  dropOffboarding,
  markDeleting,
  markOffboardingUnknown,
  tombstoneEndUser,
  type Tombstone,
} from "@/lib/data/offboarding";
import { AppError } from "@/lib/platform/errors/app-error";
import { log } from "@/lib/platform/log";
import type { ReadMode } from "@/lib/vendors/conductor/client";
import { conductorHasNoSuchResource, outcomeUnknown } from "@/lib/vendors/conductor/errors";
import { conductor } from "@/lib/wiring/vendors";
import { offboarded } from "@/lib/use-cases/end-users/offboarded";
import { leaseMs } from "@/lib/use-cases/onboarding/settle";
import type { Offboarded } from "./schemas";

const BUSY = "This end-user is being offboarded by another request. Check again in a few seconds.";

export type { Offboarded };

/**
 * Makes it a tombstone with the event `action`; when someone else finished first, their tombstone
 * answers (and no second event is written).
 */
export async function finishTombstone(id: string, event: Parameters<typeof tombstoneEndUser>[1]): Promise<Offboarded> {
  const tombstone: Tombstone | null = await tombstoneEndUser(id, event);
  if (tombstone) return tombstone;
  const row = await findEndUserById(id);
  if (!row?.deletedAt) throw new AppError("end_user_not_found");
  return { id, sourceId: row.sourceId, deletedAt: row.deletedAt };
}

const finish = (id: string, actor: string, conductorRequestId: string | undefined, how: string) =>
  finishTombstone(id, { action: "END_USER_OFFBOARDED", actor, conductorRequestId, data: { confirmedBy: how } });

async function auditQuietly(entry: Parameters<typeof recordAudit>[0]) {
  // The operator must hear Conductor's answer even if the audit write fails.
  await recordAudit(entry).catch((error: Error) =>
    log.error("audit.write_failed", { endUserId: entry.endUserId, message: error.message }),
  );
}

export async function settleOffboarding(
  endUser: { id: string; sourceId: string },
  actor: string,
  mode: ReadMode,
): Promise<Offboarded> {
  const { id, sourceId } = endUser;
  const attempt = await acquireOffboarding(id, actor, leaseMs());
  if (attempt.kind === "busy") throw new AppError("offboarding_in_progress", BUSY);
  if (attempt.kind === "tombstone") throw offboarded(attempt.deletedAt);
  if (attempt.kind === "unknown") throw new AppError("end_user_not_found");
  const { token } = attempt;

  if (attempt.deletePending) {
    try {
      await conductor().retrieveEndUser(id, mode);
    } catch (error) {
      if (conductorHasNoSuchResource(error))
        return finish(id, actor, (error as AppError).details.conductorRequestId, "retrieve");
      await markOffboardingUnknown(id, token);
      throw error;
    }
    if (!(await markDeleting(id, token, leaseMs()))) throw new AppError("offboarding_in_progress", BUSY);
  }

  let answer: Awaited<ReturnType<ReturnType<typeof conductor>["deleteEndUser"]>>;
  try {
    answer = await conductor().deleteEndUser(id);
    if (!answer.data.deleted) {
      throw AppError.upstream("upstream_invalid_response", "conductor", {
        conductorRequestId: answer.conductorRequestId,
      });
    }
  } catch (error) {
    const appError = error instanceof AppError ? error : new AppError("internal_error");
    const conductorRequestId = appError.details.conductorRequestId;
    if (conductorHasNoSuchResource(appError)) return finish(id, actor, conductorRequestId, "already_gone");
    const unknown = outcomeUnknown(appError);
    const failure = { code: appError.code, message: appError.message, conductorRequestId };
    if (unknown) await markOffboardingUnknown(id, token, failure);
    else await dropOffboarding(id, token);
    await auditQuietly({
      action: unknown ? "OFFBOARDING_OUTCOME_UNKNOWN" : "OFFBOARDING_FAILED",
      actor,
      endUserId: id,
      sourceId,
      conductorRequestId,
      data: failure,
    });
    if (!unknown) throw appError;
    throw new AppError(
      appError.code,
      `${appError.message} Conductor may or may not have deleted the end-user: it is checked before any new delete.`,
      appError.details,
    );
  }
  return finish(id, actor, answer.conductorRequestId, "deleted");
}
