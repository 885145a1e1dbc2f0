/**
 * The customer's onboarding status for this request. A form posted without JavaScript has the page
 * rendered after its action in the same response, as does an action that failed (it revalidates
 * the page): that page is shown the end-user the action just cached rather than reading it back.
 */
import "server-only";
import type { Person } from "@/lib/model/actor";
import type { EndUser } from "@/lib/model/end-user";
import { onboardingStatus, type OnboardingStatus } from "@/lib/use-cases/onboarding/status";
import { oncePerRequest, rememberedForRequest, rememberForRequest } from "@/lib/web/request-memo";

const key = (customer: Person) => `onboarding-status:${customer.id}`;

export const currentOnboardingStatus = (customer: Person): Promise<OnboardingStatus> =>
  oncePerRequest(key(customer), () => onboardingStatus(customer));

export const rememberOnboarded = (customer: Person, endUser: EndUser): Promise<void> =>
  rememberForRequest<OnboardingStatus>(key(customer), { kind: "done", endUser });

const unusedNameKey = (customer: Person) => `onboarding-unused-name:${customer.id}`;

/**
 * The company name a submit sent when the end-user already existed under another name (set up in
 * another tab, say), for the page rendered after it in the same response: the form, and with it
 * the action's own message, is gone from that page.
 */
export const rememberUnusedName = (customer: Person, companyName: string): Promise<void> =>
  rememberForRequest(unusedNameKey(customer), companyName);

export const unusedName = (customer: Person): Promise<string | undefined> =>
  rememberedForRequest<string>(unusedNameKey(customer));
