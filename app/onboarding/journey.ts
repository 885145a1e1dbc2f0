import type { OnboardingStatus } from "@/lib/use-cases/onboarding/status";

/** The customer's journey, in the order they live it. */
export const JOURNEY = ["Sign in", "Your company", "Connect QuickBooks Desktop", "Connected"] as const;

/**
 * Where a signed-in customer stands: the index in JOURNEY of the step they are on (the last one
 * once QuickBooks Desktop is connected), and what to do next.
 */
export function journeyStep(status: OnboardingStatus): { step: number; next: string } {
  if (status.kind !== "done") return { step: 1, next: "Name your company" };
  if (status.offboardingSince) return { step: 1, next: "See your company's status" };
  if (status.endUser.connection.status !== "connected") return { step: 2, next: "Connect QuickBooks Desktop" };
  return { step: 3, next: "See your connection" };
}
