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
import { createEndUser, listEndUsers } from "@/lib/conductor/end-users";
import { creationOutcomeUnknown } from "@/lib/conductor/errors";
import type { UpstreamEndUser } from "@/lib/conductor/schemas";
import { db } from "@/lib/db/client";
import { auditStep, recordAudit } from "@/lib/data/audit";
import { findEndUserBySourceId, saveUpstreamEndUser, type EndUser } from "@/lib/data/end-users";
import {
  acquireClaim,
  claimDoneStep,
  failClaim,
  markOutcomeUnknown,
  markPosting,
  type ClaimAttempt,
  type OnboardingClaim,
} from "@/lib/data/onboarding-claims";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";

export type CreateEndUserInput = { sourceId: string; companyName: string; email: string };
export type CreateOnceResult = { endUser: EndUser; created: boolean };

/** Longer than any single POST can take, so a live holder never loses its claim. */
export const leaseMs = () => env.CONDUCTOR_TIMEOUT_MS + 5_000;

/**
 * After this long, a POST that never answered cannot still land: Conductor's list is then
 * conclusive about whether it was created.
 */
export const settleMs = () => 2 * env.CONDUCTOR_TIMEOUT_MS;

export function isSettled(claim: Pick<OnboardingClaim, "postStartedAt">, now = Date.now()): boolean {
  return !claim.postStartedAt || now - claim.postStartedAt.getTime() >= settleMs();
}

/** Caches the upstream end-user, closes the claim and audits it: one statement, so all or nothing. */
async function finish(upstream: UpstreamEndUser, action: "END_USER_CREATED" | "END_USER_REPAIRED", actor: string) {
  return saveUpstreamEndUser(await db(), upstream, [
    claimDoneStep(upstream.sourceId, upstream.id),
    auditStep({ action, actor, sourceId: upstream.sourceId, endUserId: upstream.id }),
  ]);
}

/** Conductor may hold several end-users with one sourceId (created elsewhere): the first one wins. */
export function pickUpstream(list: UpstreamEndUser[], sourceId: string): UpstreamEndUser | undefined {
  return list
    .filter((endUser) => endUser.sourceId === sourceId)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))[0];
}

/** Works a claim this caller holds to its end: found upstream, created now, or refused. */
export async function workClaim(
  attempt: Extract<ClaimAttempt, { kind: "acquired" }>,
  input: CreateEndUserInput,
  actor: string,
  upstreamList: () => Promise<UpstreamEndUser[]> = async () => (await listEndUsers()).data,
): Promise<CreateOnceResult> {
  const { claim, token } = attempt;
  if (attempt.postPending) {
    let found: UpstreamEndUser | undefined;
    try {
      found = pickUpstream(await upstreamList(), input.sourceId);
    } catch (error) {
      await markOutcomeUnknown(input.sourceId, token);
      throw error;
    }
    if (found) return { endUser: await finish(found, "END_USER_REPAIRED", actor), created: false };
    if (!isSettled(claim)) {
      await markOutcomeUnknown(input.sourceId, token);
      throw new AppError("onboarding_in_progress", "We are confirming your company with Conductor. Check again in a few seconds.");
    }
    if (!(await markPosting(input.sourceId, token))) throw new AppError("onboarding_in_progress");
  }

  let upstream: UpstreamEndUser;
  try {
    upstream = (await createEndUser(input)).data;
  } catch (error) {
    const appError = error instanceof AppError ? error : new AppError("internal_error");
    const claimError = {
      code: appError.code,
      message: appError.message,
      conductorRequestId: appError.details.conductorRequestId,
    };
    const unknown = creationOutcomeUnknown(appError);
    if (unknown) await markOutcomeUnknown(input.sourceId, token, claimError);
    else await failClaim(input.sourceId, token, claimError);
    await recordAudit(await db(), {
      action: unknown ? "ONBOARDING_OUTCOME_UNKNOWN" : "ONBOARDING_FAILED",
      actor,
      sourceId: input.sourceId,
      data: claimError,
    });
    throw appError;
  }
  try {
    return { endUser: await finish(upstream, "END_USER_CREATED", actor), created: true };
  } catch (error) {
    // Created upstream but not recorded here: leave it for the next holder or the reconcile job,
    // which will find it by sourceId instead of posting again.
    log.error("onboarding.record_failed", { sourceId: input.sourceId, endUserId: upstream.id, message: (error as Error).message });
    await markOutcomeUnknown(input.sourceId, token).catch(() => {});
    throw new AppError("database_unavailable", "Your company was created with Conductor but we could not record it yet. It will appear shortly.");
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
