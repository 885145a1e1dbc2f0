/**
 * Exactly one Conductor end-user per sourceId, whatever happens: double submits, concurrent
 * tabs, retries, timeouts, a crash between Conductor's answer and our write.
 *
 * 1. The cache answers when the end-user already exists.
 * 2. The sourceId is claimed in one SQL statement; concurrent callers get `onboarding_in_progress`.
 *    Taking it records that a POST is about to leave.
 * 3. If an earlier POST's outcome is unknown, Conductor's list is searched for the sourceId first
 *    (Conductor has no idempotency key and does not reject duplicate sourceIds).
 * 4. Conductor is called outside any transaction, once, with the SDK's retries off.
 * 5. The answer is cached and the claim closed in one statement, with an audit event.
 * A refusal (4xx) fails the claim; anything else leaves it "outcome unknown" for step 3.
 */
import "server-only";
import { databaseNow } from "@/lib/data/clock";
import { auditStep, recordAudit } from "@/lib/data/audit";
import { findEndUserBySourceId } from "@/lib/data/end-users";
import { saveUpstreamEndUser } from "@/lib/data/end-user-writes";
import {
  acquireClaim,
  claimDoneStep,
  failClaim,
  markOutcomeUnknown,
  markPosting,
  type ClaimAttempt,
  type OnboardingClaim,
} from "@/lib/data/onboarding-claims";
import { oldestFirst, type EndUser, type UpstreamEndUser } from "@/lib/model/end-user";
import { env } from "@/lib/platform/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { log } from "@/lib/platform/log";
import { outcomeUnknown } from "@/lib/vendors/conductor/errors";
import { conductor } from "@/lib/wiring/vendors";

export type CreateEndUserInput = { sourceId: string; companyName: string; email: string };
export type CreateOnceResult = { endUser: EndUser; created: boolean };

/**
 * How long a holder keeps the claim without renewing it: the POST (at most the timeout) plus a
 * margin. The lookup before a repeated POST is shorter (an interactive list), and the lease is
 * renewed when that POST leaves.
 */
export const leaseMs = () => env.CONDUCTOR_TIMEOUT_MS + 5_000;

/**
 * After this long, a POST that never answered cannot still land: Conductor's list is then
 * conclusive about whether it was created.
 */
export const settleMs = () => 2 * env.CONDUCTOR_TIMEOUT_MS;

/** Whether a list requested at `listedAt` (database clock) is conclusive about the claim's POST. */
export function isSettled(claim: Pick<OnboardingClaim, "postStartedAt">, listedAt: Date): boolean {
  return !claim.postStartedAt || listedAt.getTime() - claim.postStartedAt.getTime() >= settleMs();
}

export type UpstreamSnapshot = { endUsers: UpstreamEndUser[]; listedAt: Date };

/** Conductor's list, with when it was requested by the database's clock. */
export async function snapshotUpstream(
  mode: "interactive" | "background",
): Promise<UpstreamSnapshot & { conductorRequestId?: string }> {
  const listedAt = await databaseNow();
  const { data, conductorRequestId } = await conductor().listEndUsers(mode);
  return { endUsers: data, listedAt, conductorRequestId };
}

/**
 * Caches the upstream end-user, closes the claim and audits it: one statement, so all or nothing.
 * If Conductor holds duplicates and another one of them is already cached, that one stands.
 */
async function finish(
  upstream: UpstreamEndUser,
  action: "END_USER_CREATED" | "END_USER_REPAIRED",
  actor: string,
  conductorRequestId?: string,
): Promise<EndUser> {
  return saveUpstreamEndUser(upstream, [
    claimDoneStep(upstream.sourceId, upstream.id),
    auditStep({ action, actor, sourceId: upstream.sourceId, endUserId: upstream.id, conductorRequestId }),
  ]).catch(async (error: unknown) => {
    const cached =
      error instanceof AppError && error.code === "source_id_conflict"
        ? await findEndUserBySourceId(upstream.sourceId)
        : null;
    if (!cached) throw error;
    return cached;
  });
}

/** Conductor may hold several end-users with one sourceId (created elsewhere): the first one wins. */
export function pickUpstream(list: UpstreamEndUser[], sourceId: string): UpstreamEndUser | undefined {
  return list.filter((endUser) => endUser.sourceId === sourceId).sort(oldestFirst)[0];
}

/** Works a claim this caller holds to its end: found upstream, created now, or refused. */
export async function workClaim(
  attempt: Extract<ClaimAttempt, { kind: "acquired" }>,
  input: CreateEndUserInput,
  actor: string,
  lookUpstream: () => Promise<UpstreamSnapshot> = () => snapshotUpstream("interactive"),
): Promise<CreateOnceResult> {
  const { claim, token } = attempt;
  if (attempt.postPending) {
    let snapshot: UpstreamSnapshot;
    try {
      snapshot = await lookUpstream();
    } catch (error) {
      await markOutcomeUnknown(input.sourceId, token);
      throw error;
    }
    const found = pickUpstream(snapshot.endUsers, input.sourceId);
    if (found) return { endUser: await finish(found, "END_USER_REPAIRED", actor), created: false };
    // A POST that started too shortly before the list was requested may still land after it.
    if (!isSettled(claim, snapshot.listedAt)) {
      await markOutcomeUnknown(input.sourceId, token);
      throw new AppError(
        "onboarding_in_progress",
        "We are confirming your company with Conductor. Check again in a few seconds.",
      );
    }
    if (!(await markPosting(input.sourceId, token, leaseMs()))) throw new AppError("onboarding_in_progress");
  }

  let upstream: UpstreamEndUser;
  let conductorRequestId: string | undefined;
  try {
    ({ data: upstream, conductorRequestId } = await conductor().createEndUser(input));
  } catch (error) {
    const appError = error instanceof AppError ? error : new AppError("internal_error");
    const claimError = {
      code: appError.code,
      message: appError.message,
      conductorRequestId: appError.details.conductorRequestId,
    };
    const unknown = outcomeUnknown(appError);
    if (unknown) await markOutcomeUnknown(input.sourceId, token, claimError);
    else await failClaim(input.sourceId, token, claimError);
    // The customer must hear Conductor's answer even if the audit write fails.
    await recordAudit({
      action: unknown ? "ONBOARDING_OUTCOME_UNKNOWN" : "ONBOARDING_FAILED",
      actor,
      sourceId: input.sourceId,
      conductorRequestId: claimError.conductorRequestId,
      data: claimError,
    }).catch((auditError: Error) =>
      log.error("audit.write_failed", { sourceId: input.sourceId, message: auditError.message }),
    );
    throw appError;
  }
  try {
    return { endUser: await finish(upstream, "END_USER_CREATED", actor, conductorRequestId), created: true };
  } catch (error) {
    // Created upstream but not recorded here: leave it for the next holder or the reconcile job,
    // which will find it by sourceId instead of posting again.
    log.error("onboarding.record_failed", {
      sourceId: input.sourceId,
      endUserId: upstream.id,
      message: (error as Error).message,
    });
    await markOutcomeUnknown(input.sourceId, token).catch(() => {});
    throw new AppError(
      "database_unavailable",
      "Your company was created with Conductor but we could not record it yet. It will appear shortly.",
    );
  }
}

export async function createEndUserOnce(input: CreateEndUserInput, actor: string): Promise<CreateOnceResult> {
  const cached = await findEndUserBySourceId(input.sourceId);
  if (cached) return { endUser: cached, created: false };

  const attempt = await acquireClaim(input, leaseMs());
  if (attempt.kind === "busy") throw new AppError("onboarding_in_progress");
  if (attempt.kind === "done") {
    const endUser = await findEndUserBySourceId(input.sourceId);
    if (endUser) return { endUser, created: false };
    throw new AppError("internal_error");
  }
  return workClaim(attempt, input, actor);
}
