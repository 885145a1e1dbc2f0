/** Where a customer stands, for /onboarding. */
import "server-only";
import { findEndUserBySourceId, findLatestTombstone } from "@/lib/data/end-users";
import { findClaim, type OnboardingClaim } from "@/lib/data/onboarding-claims";
import { sourceIdOf, type Person } from "@/lib/model/actor";
import type { EndUser } from "@/lib/model/end-user";

export type OnboardingStatus =
  | { kind: "done"; endUser: EndUser }
  | { kind: "in_progress"; claim: OnboardingClaim }
  | { kind: "confirming"; claim: OnboardingClaim }
  | { kind: "failed"; claim: OnboardingClaim }
  /** `offboarded`: an earlier company of theirs that was offboarded; they may start again. */
  | { kind: "not_started"; offboarded: { companyName: string; deletedAt: Date } | null };

export async function onboardingStatus(customer: Person): Promise<OnboardingStatus> {
  const sourceId = sourceIdOf(customer);
  const [endUser, claim] = await Promise.all([findEndUserBySourceId(sourceId), findClaim(sourceId)]);
  if (endUser) return { kind: "done", endUser };
  if (!claim) return { kind: "not_started", offboarded: await findLatestTombstone(sourceId) };
  if (claim.state === "FAILED") return { kind: "failed", claim };
  const held = claim.state === "IN_FLIGHT" && claim.leaseExpiresAt && claim.leaseExpiresAt > new Date();
  return held ? { kind: "in_progress", claim } : { kind: "confirming", claim };
}
