/** Where a customer stands, for /onboarding. */
import "server-only";
import { findLatestTombstone, findOnboardedEndUser } from "@/lib/data/end-users";
import { findClaim, type OnboardingClaim } from "@/lib/data/onboarding-claims";
import { sourceIdOf, type Person } from "@/lib/model/actor";
import type { EndUser } from "@/lib/model/end-user";

export type OnboardingStatus =
  /**
   * `missingUpstreamSince`: Conductor's list has lacked it since then, so it cannot be connected.
   * `offboardingSince`: an operator's offboarding sent Conductor its DELETE then, unconfirmed yet.
   */
  | { kind: "done"; endUser: EndUser; missingUpstreamSince?: Date | null; offboardingSince?: Date | null }
  | { kind: "in_progress"; claim: OnboardingClaim }
  | { kind: "confirming"; claim: OnboardingClaim }
  | { kind: "failed"; claim: OnboardingClaim }
  /** `offboarded`: an earlier company of theirs that was offboarded; they may start again. */
  | { kind: "not_started"; offboarded: { companyName: string; deletedAt: Date } | null };

export async function onboardingStatus(customer: Person): Promise<OnboardingStatus> {
  const sourceId = sourceIdOf(customer);
  const [onboarded, claim] = await Promise.all([findOnboardedEndUser(sourceId), findClaim(sourceId)]);
  if (onboarded) return { kind: "done", ...onboarded };
  if (!claim) return { kind: "not_started", offboarded: await findLatestTombstone(sourceId) };
  if (claim.state === "FAILED") return { kind: "failed", claim };
  const held = claim.state === "IN_FLIGHT" && claim.leaseExpiresAt && claim.leaseExpiresAt > new Date();
  return held ? { kind: "in_progress", claim } : { kind: "confirming", claim };
}
