/**
 * A keyed budget (an end-user's, say) that the work spends itself, once it knows the caller may
 * act on what the key names: a caller who may not must not spend it for those who may.
 */
import "server-only";

/** `spend` is null where there is no keyed budget: the work's `budget` is then a no-op. */
export function deferredBudget(spend: (() => Promise<void>) | null) {
  let spent = false;
  return {
    budget: async () => {
      if (!spend) return;
      await spend();
      spent = true;
    },
    /** For work that succeeded: throws if it never spent the budget (a route or form that forgot to pass it on). */
    assertSpent(what: string) {
      if (spend && !spent) throw new Error(`${what}: succeeded without spending its budget`);
    },
  };
}
