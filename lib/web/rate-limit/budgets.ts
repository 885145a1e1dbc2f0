/**
 * The budgets shared by the API routes, the forms and the pages that act on one end-user's
 * QuickBooks Desktop connection: each counts per end-user, whichever way the request came.
 */
import "server-only";
import type { Actor } from "@/lib/model/actor";
import { env } from "@/lib/platform/env";
import { callerKey } from "@/lib/web/http/authenticate";
import { failureGivesBack } from "./deferred";
import { giveBack, hit, windowOf, type Budget, type RateDecision } from "./index";

export const budgets = {
  /** Each link is an email to the customer's inbox. */
  connectLink: {
    scope: "connect-link",
    perHour: env.CONNECT_LINK_RATE_LIMIT_PER_HOUR,
    // Read by the customer and by operators alike: it names the company, not "this end-user".
    // Windows start on the clock's hour (index.ts): "an hour" would promise any 60 minutes.
    spent: `This company's setup links are used up until the top of the hour: ${env.CONNECT_LINK_RATE_LIMIT_PER_HOUR} each clock hour, whoever sends them.`,
  },
  /** Each check is a request to the customer's QuickBooks Desktop. */
  connectionCheck: {
    scope: "connection-check",
    perMinute: env.CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE,
    spent: `This company's QuickBooks Desktop checks are used up until the next minute: ${env.CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE} each clock minute, whoever asks.`,
  },
  /**
   * Checks run by a setup's return page for whoever holds its address (signed out, an operator,
   * another company's customer): a budget of their own, so that a kept address cannot use up the
   * customer's own checks. A person returns once a setup; a reload or a second tab, twice.
   */
  setupReturnCheck: { scope: "setup-return-check", perMinute: 2 },
  /** Each opens a Conductor auth session; a person opens a handful at most, a script far more. */
  authSession: {
    scope: "auth-session",
    perMinute: 30,
    spent: "This company's setup was opened 30 times this minute, as often as it can be.",
  },
  /** Each asks Conductor for one end-user: Conductor's quota is shared by every customer. */
  conductorRead: { scope: "conductor-read", perMinute: env.CONDUCTOR_READ_RATE_LIMIT_PER_MINUTE },
} satisfies Record<string, Budget>;

export const perEndUser = (endUserId: string) => `endUser:${endUserId}`;

const endUserKey = (budget: Budget, endUserId: string) => `${budget.scope}:${perEndUser(endUserId)}`;

/** Spends one unit of an end-user's budget outside the route and action wrappers (a page). */
export function spendPerEndUser(budget: Budget, endUserId: string): Promise<RateDecision> {
  const { limit, windowMs } = windowOf(budget);
  return hit([endUserKey(budget, endUserId)], limit, windowMs);
}

/** Gives back the unit `spendPerEndUser` spent on work that did not run. */
export function givePerEndUserBack(budget: Budget, endUserId: string): void {
  giveBack([endUserKey(budget, endUserId)], windowOf(budget).windowMs);
}

/** After the work `spendPerEndUser` paid for failed: gives its unit back where the failure says so. */
export function settlePerEndUserFailure(budget: Budget, endUserId: string, error: unknown): void {
  if (failureGivesBack(error)) givePerEndUserBack(budget, endUserId);
}

/** Spends one unit of the caller's own budget (a person's, a token's) where a use case decides whether it is needed. */
export function spendPerCaller(budget: Budget, actor: Actor): Promise<RateDecision> {
  const { limit, windowMs } = windowOf(budget);
  return hit([`${budget.scope}:${callerKey(actor) ?? actor.kind}`], limit, windowMs);
}

/** The caller's budget of reads that ask Conductor for one end-user, spent only if the read asks. */
export const conductorReadBudget = (actor: Actor) => () => spendPerCaller(budgets.conductorRead, actor);
