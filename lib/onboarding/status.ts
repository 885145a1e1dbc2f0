/** Where a customer stands, for /onboarding. */
import "server-only";
import { findEndUserBySourceId, type EndUser } from "@/lib/data/end-users";
import { findClaim, type OnboardingClaim } from "@/lib/data/onboarding-claims";

export type OnboardingStatus =
  | { kind: "done"; endUser: EndUser }
  | { kind: "in_progress"; claim: OnboardingClaim }
  | { kind: "confirming"; claim: OnboardingClaim }
  | { kind: "failed"; claim: OnboardingClaim }
  | { kind: "not_started" };

export async function onboardingStatus(sourceId: string): Promise<OnboardingStatus> {
  const [endUser, claim] = await Promise.all([findEndUserBySourceId(sourceId), findClaim(sourceId)]);
  if (endUser) return { kind: "done", endUser };
  if (!claim) return { kind: "not_started" };
  if (claim.state === "FAILED") return { kind: "failed", claim };
  if (claim.state === "IN_FLIGHT" && claim.leaseExpiresAt && claim.leaseExpiresAt > new Date()) return { kind: "in_progress", claim };
  return { kind: "confirming", claim };
}
