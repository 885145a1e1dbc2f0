/**
 * Exactly one Conductor end-user per sourceId, whatever happens: double submits, concurrent
 * tabs, retries, timeouts, a crash between Conductor's answer and our write.
 *
 * 1. The cache answers when the end-user already exists.
 * 2. The sourceId is claimed in one SQL statement; concurrent callers get `onboarding_in_progress`.
 *    Taking it records that a POST is about to leave. Steps 1 and 2 are one statement when the
 *    claim is free and nothing is cached (a new customer): only the others pay for step 1 apart.
 * 3. If an earlier POST's outcome is unknown, Conductor's list is searched for the sourceId first
 *    (Conductor has no idempotency key and does not reject duplicate sourceIds); see settle.ts.
 * 4. Conductor is called outside any transaction, once, with the SDK's retries off.
 * 5. The answer is cached and the claim closed in one statement, with an audit event. Only the
 *    claim's commit waits for the disk: it is what a crash must not lose (see work-claim.ts).
 * A refusal (4xx) fails the claim; anything else leaves it "outcome unknown" for step 3.
 */
import "server-only";
import { findEndUserBySourceId, type CachedEndUser } from "@/lib/data/end-users";
import { offboardingState } from "@/lib/data/offboarding";
import { acquireClaim } from "@/lib/data/onboarding-claims";
import { AppError } from "@/lib/platform/errors/app-error";
import { leaseMs } from "./settle";
import { workClaim, type CreateEndUserInput, type CreateOnceResult } from "./work-claim";

export type { CreateEndUserInput, CreateOnceResult };

/** The longest wait a held claim's answer suggests: its holder's work ends within seconds, or its lease does. */
const BUSY_RETRY_AFTER_MAX_SECONDS = 5;

/**
 * Another request holds the claim (a second tab, a double submit, an operator, the reconcile job,
 * or a retry looking for an earlier POST in Conductor's list): under the name it asked for.
 */
const inProgressElsewhere = ({ companyName, leaseExpiresAt }: { companyName: string; leaseExpiresAt: Date | null }) => {
  const leaseLeft = leaseExpiresAt ? Math.ceil((leaseExpiresAt.getTime() - Date.now()) / 1_000) : 1;
  return new AppError(
    "onboarding_in_progress",
    `${companyName} is already being set up with Conductor by another request (another tab, an operator, our background check, or an earlier try waiting for Conductor). Check again in a few seconds.`,
    { retryAfterSeconds: Math.min(BUSY_RETRY_AFTER_MAX_SECONDS, Math.max(1, leaseLeft)) },
  );
};

/**
 * The cached end-user as the answer, unless an offboarding has sent (or may have sent) Conductor
 * its DELETE: the caller would be handed an id Conductor is deleting. Null once it is tombstoned.
 */
async function existing(cached: CachedEndUser): Promise<CreateOnceResult | null> {
  const state = await offboardingState(cached.id);
  if (state?.deletedAt) return null;
  if (state?.deleteSent)
    throw new AppError(
      "offboarding_in_progress",
      `${cached.companyName} (end-user ${cached.id}) is being offboarded, and Conductor has not confirmed it yet. Once it has, it can be set up again.`,
    );
  return { endUser: cached, created: false };
}

export async function createEndUserOnce(input: CreateEndUserInput, actor: string): Promise<CreateOnceResult> {
  // Steps 1 and 2 in one statement for a new customer; anyone else is then told which applies.
  const taken = await acquireClaim(input, leaseMs(), { unlessCached: true });
  if (taken.kind === "acquired") return workClaim(taken, input, actor);
  const cached = await findEndUserBySourceId(input.sourceId);
  const answer = cached && (await existing(cached));
  if (answer) return answer;

  const attempt = await acquireClaim(input, leaseMs());
  if (attempt.kind === "done") {
    const endUser = await findEndUserBySourceId(input.sourceId);
    const done = endUser && (await existing(endUser));
    if (done) return done;
    throw new AppError("internal_error");
  }
  if (attempt.kind === "busy") throw inProgressElsewhere(attempt.claim);
  if (attempt.kind !== "acquired") throw new AppError("onboarding_in_progress");
  return workClaim(attempt, input, actor);
}
