/**
 * The customer's onboarding status for this request. After the onboarding action the page is
 * rendered in the same response: it is shown the end-user the action just cached rather than
 * reading it back.
 */
import "server-only";
import type { Person } from "@/lib/model/actor";
import type { EndUser } from "@/lib/model/end-user";
import { onboardingStatus, type OnboardingStatus } from "@/lib/use-cases/onboarding/status";
import { oncePerRequest, rememberForRequest } from "@/lib/web/request-memo";

const key = (customer: Person) => `onboarding-status:${customer.id}`;

export const currentOnboardingStatus = (customer: Person): Promise<OnboardingStatus> =>
  oncePerRequest(key(customer), () => onboardingStatus(customer));

export const rememberOnboarded = (customer: Person, endUser: EndUser): Promise<void> =>
  rememberForRequest<OnboardingStatus>(key(customer), { kind: "done", endUser });
