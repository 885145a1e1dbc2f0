/** Working a claim this caller holds to its end: found upstream, created now, or refused. */
import "server-only";
import { auditStep, recordAudit } from "@/lib/data/audit";
import { findEndUserBySourceId } from "@/lib/data/end-users";
import { ifCached, saveUpstreamEndUser } from "@/lib/data/end-user-writes";
import {
  claimDoneStep,
  closeClaim,
  closeClaimOnce,
  failClaim,
  markOutcomeUnknown,
  markPosting,
  type ClaimAttempt,
} from "@/lib/data/onboarding-claims";
import type { EndUser, UpstreamEndUser } from "@/lib/model/end-user";
import { AppError } from "@/lib/platform/errors/app-error";
import { log } from "@/lib/platform/log";
import { outcomeUnknown } from "@/lib/vendors/conductor/errors";
import { conductor } from "@/lib/wiring/vendors";
import {
  isSettled,
  leaseMs,
  mayHaveLanded,
  minutesUntilSettled,
  secondsUntilSettled,
  settleSeconds,
  pickUpstream,
  settleMinutes,
  snapshotUpstream,
  type UpstreamSnapshot,
} from "./settle";

export type CreateEndUserInput = { sourceId: string; companyName: string; email: string };
export type CreateOnceResult = { endUser: EndUser; created: boolean };

/**
 * Caches the upstream end-user, closes the claim and audits it: one statement, so all or nothing,
 * and the claim and audit steps run only if the end-user is cached (written now, or by a refresh
 * that listed it meanwhile). If Conductor holds duplicates and another one of them is already
 * cached, that one stands and nothing is created. Its commit does not wait for the disk: a
 * database crash that loses it leaves the claim as it was flushed before the POST, and the claim's
 * next holder (the customer's retry, or the reconcile job) finds the end-user in Conductor.
 */
async function finish(
  upstream: UpstreamEndUser,
  action: "END_USER_CREATED" | "END_USER_REPAIRED",
  actor: string,
  observedAt: Date | undefined,
  conductorRequestId?: string,
): Promise<CreateOnceResult> {
  const { sourceId, id } = upstream;
  const event = {
    action,
    actor,
    sourceId,
    endUserId: id,
    conductorRequestId,
    data: { companyName: upstream.companyName },
  };
  try {
    const alongside = [claimDoneStep(sourceId, id, ifCached(id)), auditStep(event, ifCached(id))];
    // A refresh that inserted the row but had not committed when this write began: the write
    // waited on it, then left it, and its steps saw no row. They are done once it is visible.
    const whenLeftAsCached = () => closeClaimOnce(sourceId, id, (closedNow) => [auditStep(event, closedNow)]);
    return {
      endUser: await saveUpstreamEndUser(upstream, { observedAt, alongside, whenLeftAsCached, durable: false }),
      created: action === "END_USER_CREATED",
    };
  } catch (error) {
    const cached =
      error instanceof AppError && error.code === "source_id_conflict" ? await findEndUserBySourceId(sourceId) : null;
    if (!cached) throw error;
    log.warn("onboarding.duplicate_upstream", { sourceId, kept: cached.id, notCached: id });
    await closeClaim(sourceId, cached.id);
    return { endUser: cached, created: false };
  }
}

async function recordRefusal(input: CreateEndUserInput, token: string, actor: string, appError: AppError) {
  const claimError = {
    code: appError.code,
    message: appError.message,
    conductorRequestId: appError.details.conductorRequestId,
  };
  const unknown = outcomeUnknown(appError);
  const held = unknown
    ? await markOutcomeUnknown(input.sourceId, token, claimError)
    : await failClaim(input.sourceId, token, claimError);
  // A holder whose lease ran out meanwhile answers, but the claim's next holder writes its story.
  if (!held) return log.warn("onboarding.claim_lost", { sourceId: input.sourceId, code: appError.code });
  // The customer must hear Conductor's answer even if the audit write fails.
  const action = unknown ? "ONBOARDING_OUTCOME_UNKNOWN" : "ONBOARDING_FAILED";
  const { conductorRequestId } = claimError;
  await recordAudit({ action, actor, sourceId: input.sourceId, conductorRequestId, data: claimError }).catch(
    (auditError: Error) => log.error("audit.write_failed", { sourceId: input.sourceId, message: auditError.message }),
  );
}

/** Before a repeated POST: the earlier one may have landed. Answers when the new POST leaves, or the end-user found. */
async function lookBeforePosting(
  attempt: Extract<ClaimAttempt, { kind: "acquired" }>,
  input: CreateEndUserInput,
  actor: string,
  lookUpstream: () => Promise<UpstreamSnapshot>,
): Promise<CreateOnceResult | Date> {
  const snapshot = await lookUpstream().catch(async (error: unknown) => {
    await markOutcomeUnknown(input.sourceId, attempt.token);
    throw error;
  });
  const found = pickUpstream(snapshot.endUsers, input.sourceId);
  if (found) return finish(found, "END_USER_REPAIRED", actor, snapshot.listedAt, snapshot.conductorRequestId);
  // A POST that started too shortly before the list was requested may still land after it.
  if (!isSettled(attempt.claim, snapshot.listedAt)) {
    await markOutcomeUnknown(input.sourceId, attempt.token);
    const minutes = minutesUntilSettled(attempt.claim, snapshot.listedAt);
    const retryAfterSeconds = secondsUntilSettled(attempt.claim, snapshot.listedAt);
    // The claim still names the company that earlier POST asked for, whatever this request asks.
    throw new AppError("onboarding_in_progress", mayHaveLanded(attempt.claim.companyName, minutes), {
      retryAfterSeconds,
    });
  }
  const postedAt = await markPosting(input, attempt.token, leaseMs());
  if (!postedAt) throw new AppError("onboarding_in_progress");
  return postedAt;
}

function offboardedMeanwhile(upstream: UpstreamEndUser, conductorRequestId?: string): AppError {
  const message = `${upstream.companyName} was created with Conductor, then offboarded before we recorded it. You can set it up again.`;
  return new AppError("end_user_deleted", message, { conductorRequestId });
}

export async function workClaim(
  attempt: Extract<ClaimAttempt, { kind: "acquired" }>,
  input: CreateEndUserInput,
  actor: string,
  lookUpstream: () => Promise<UpstreamSnapshot> = () => snapshotUpstream("interactive"),
): Promise<CreateOnceResult> {
  let postedAt = attempt.claim.postStartedAt ?? undefined;
  if (attempt.postPending) {
    const looked = await lookBeforePosting(attempt, input, actor, lookUpstream);
    if (!(looked instanceof Date)) return looked;
    postedAt = looked;
  }
  let upstream: UpstreamEndUser;
  let conductorRequestId: string | undefined;
  try {
    ({ data: upstream, conductorRequestId } = await conductor().createEndUser(input));
  } catch (error) {
    const refusal = error instanceof AppError ? error : new AppError("internal_error");
    if (!outcomeUnknown(refusal)) {
      await recordRefusal(input, attempt.token, actor, refusal);
      throw refusal;
    }
    // The POST may have landed all the same: the customer is told what Conductor said and when to
    // check, not to try again at once.
    const said = new AppError(refusal.code, refusal.message.replace(/ Try again shortly\.$/, ""), refusal.details);
    await recordRefusal(input, attempt.token, actor, said);
    throw new AppError(refusal.code, `${said.message} ${mayHaveLanded(input.companyName, settleMinutes())}`, {
      ...refusal.details,
      retryAfterSeconds: settleSeconds(),
    });
  }
  try {
    return await finish(upstream, "END_USER_CREATED", actor, postedAt, conductorRequestId);
  } catch (error) {
    // Offboarded before this answer was recorded (a refresh had cached it): that is the answer.
    if (error instanceof AppError && error.code === "end_user_deleted")
      throw offboardedMeanwhile(upstream, conductorRequestId);
    // Created upstream but not recorded here: leave it for the next holder or the reconcile job,
    // which will find it by sourceId instead of posting again.
    log.error("onboarding.record_failed", {
      sourceId: input.sourceId,
      endUserId: upstream.id,
      message: (error as Error).message,
    });
    await markOutcomeUnknown(input.sourceId, attempt.token).catch(() => {});
    throw new AppError(
      "database_unavailable",
      "Your company was created with Conductor but we could not record it yet. It will appear shortly.",
      { conductorRequestId },
    );
  }
}
