/**
 * When Conductor's answer about an earlier POST can be trusted. Conductor has no idempotency key
 * and accepts duplicate sourceIds, so before a second POST the app looks for the first one in
 * Conductor's list, and trusts a miss only once that POST cannot still land.
 */
import "server-only";
import { databaseNow } from "@/lib/data/clock";
import type { OnboardingClaim } from "@/lib/data/onboarding-claims";
import { oldestFirst, type UpstreamEndUser } from "@/lib/model/end-user";
import { env } from "@/lib/platform/env";
import { conductor } from "@/lib/wiring/vendors";

/**
 * How long a holder keeps the claim without renewing it: the POST (at most two timeouts: one until
 * Conductor's answer starts, one for its body; the SDK's retries are off for it) plus a margin.
 * The lookup before a repeated POST is shorter (an interactive list), and the lease is renewed
 * when that POST leaves.
 */
export const leaseMs = () => 2 * env.CONDUCTOR_TIMEOUT_MS + 5_000;

/**
 * How long after a POST left a list is conclusive about it. Our timeout only bounds how long we
 * waited, not when Conductor received the request: a request held in a proxy or a retrying load
 * balancer may reach it later, so the window is minutes (CREATE_SETTLE_SECONDS), not a multiple
 * of the timeout.
 */
export const settleMs = () => env.CREATE_SETTLE_SECONDS * 1_000;

/** Whether a list requested at `listedAt` (database clock) is conclusive about the claim's POST. */
export function isSettled(claim: Pick<OnboardingClaim, "postStartedAt">, listedAt: Date): boolean {
  return !claim.postStartedAt || listedAt.getTime() - claim.postStartedAt.getTime() >= settleMs();
}

const wholeMinutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

const msUntilSettled = (claim: Pick<OnboardingClaim, "postStartedAt">, at: Date): number =>
  claim.postStartedAt ? claim.postStartedAt.getTime() + settleMs() - at.getTime() : 0;

/** Whole minutes (at least 1) until a list requested after `at` is conclusive about the claim's POST. */
export const minutesUntilSettled = (claim: Pick<OnboardingClaim, "postStartedAt">, at: Date): number =>
  wholeMinutes(msUntilSettled(claim, at));

/** The same in whole seconds (at least 1), for a Retry-After header. */
export const secondsUntilSettled = (claim: Pick<OnboardingClaim, "postStartedAt">, at: Date): number =>
  Math.max(1, Math.ceil(msUntilSettled(claim, at) / 1_000));

/** The same for a POST that just left: the whole window. */
export const settleMinutes = () => wholeMinutes(settleMs());

/** The whole window in seconds, for the Retry-After of a POST whose outcome is unknown. */
export const settleSeconds = () => Math.max(1, Math.ceil(settleMs() / 1_000));

/** What a customer is told while Conductor's answer about their company's POST is not known. */
export const mayHaveLanded = (companyName: string, minutes: number) =>
  `Conductor may still have created ${companyName}: we check with it before trying again, so you will not end up with two accounts. Check again in about ${minutes} minute${minutes === 1 ? "" : "s"}.`;

/** Conductor may hold several end-users with one sourceId (created elsewhere): the first one wins. */
export function pickUpstream(list: UpstreamEndUser[], sourceId: string): UpstreamEndUser | undefined {
  return list.filter((endUser) => endUser.sourceId === sourceId).sort(oldestFirst)[0];
}

export type UpstreamSnapshot = { endUsers: UpstreamEndUser[]; listedAt: Date; conductorRequestId?: string };

/** Conductor's list, with when it was requested by the database's clock. */
export async function snapshotUpstream(mode: "interactive" | "background"): Promise<UpstreamSnapshot> {
  const listedAt = await databaseNow();
  const { data, conductorRequestId } = await conductor().listEndUsers(mode);
  return { endUsers: data, listedAt, conductorRequestId };
}
