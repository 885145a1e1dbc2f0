/**
 * The budgets shared by the API routes, the forms and the pages that act on one end-user's
 * QuickBooks Desktop connection: one count per end-user, whichever way the request came.
 */
import "server-only";
import { env } from "@/lib/platform/env";
import { hit, windowOf, type Budget, type RateDecision } from "./index";

export const budgets = {
  /** Each link is an email to the customer's inbox. */
  connectLink: { scope: "connect-link", perHour: env.CONNECT_LINK_RATE_LIMIT_PER_HOUR },
  /** Each check is a request to the customer's QuickBooks Desktop. */
  connectionCheck: { scope: "connection-check", perMinute: env.CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE },
  /** Each opens a Conductor auth session; a person opens a handful at most, a script far more. */
  authSession: { scope: "auth-session", perMinute: 30 },
} satisfies Record<string, Budget>;

export const perEndUser = (endUserId: string) => `endUser:${endUserId}`;

/** Spends one unit of an end-user's budget outside the route and action wrappers (a page). */
export function spendPerEndUser(budget: Budget, endUserId: string): Promise<RateDecision> {
  const { limit, windowMs } = windowOf(budget);
  return hit([`${budget.scope}:${perEndUser(endUserId)}`], limit, windowMs);
}
