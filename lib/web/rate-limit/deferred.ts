/**
 * A keyed budget (an end-user's, say) that the work spends itself, once it knows the caller may
 * act on what the key names: a caller who may not must not spend it for those who may.
 */
import "server-only";
import { AppError } from "@/lib/platform/errors/app-error";
import { giveBack, windowOf, type Budget } from "./index";

/** A keyed budget's unit: its key and budget, and how the wrapper spends it (answering 429 its way). */
export type KeyedUnit = { key: string; budget: Budget; spend: () => Promise<void> };

/**
 * Whether a failed attempt gives its unit back: a failure on our side or an upstream's answered
 * failure (5xx) did not do what the budget counts, so an outage does not use it up. A refusal
 * (4xx), or a failure that may have done it all the same, keeps it spent: a timeout among them,
 * as the upstream may still be at the work (Conductor keeps asking QuickBooks Desktop after we
 * stop waiting), unless the request never left.
 */
export function failureGivesBack(error: unknown): boolean {
  if (!(error instanceof AppError)) return true;
  if (error.status < 500 || error.details.keepsBudget === true) return false;
  return error.code !== "upstream_timeout" || error.details.notSent === true;
}

/** `unit` is null where there is no keyed budget: the work's `budget` is then a no-op. */
export function deferredBudget(unit: KeyedUnit | null) {
  let spent = false;
  return {
    budget: async () => {
      if (!unit) return;
      await unit.spend();
      spent = true;
    },
    /** For work that succeeded: throws if it never spent the budget (a route or form that forgot to pass it on). */
    assertSpent(what: string) {
      if (unit && !spent) throw new Error(`${what}: succeeded without spending its budget`);
    },
    /** For work that failed: its unit goes back where `failureGivesBack` says so; whether it went back. */
    settleFailure(error: unknown): boolean {
      if (!unit || !spent || !failureGivesBack(error)) return false;
      spent = false;
      giveBack([unit.key], windowOf(unit.budget).windowMs);
      return true;
    },
  };
}
