import "server-only";
import { after } from "next/server";
import { AppError } from "@/lib/platform/errors/app-error";
import { PAGE_MAX_DURATION_S, withinMaxDuration } from "@/lib/platform/function-deadline";
import { log } from "@/lib/platform/log";
import { checkableAfterSetupReturn, checkAfterSetupReturn } from "@/lib/use-cases/connection/check";
import { provesSetupReturn } from "@/lib/use-cases/connection/setup-return";
import { budgets, givePerEndUserBack, settlePerEndUserFailure, spendPerEndUser } from "@/lib/web/rate-limit/budgets";

/**
 * Has the connection of the setup this browser returned from checked once the page is sent, for
 * whoever reads the cache, when the address proves it is one this app made (setup-return.ts) and
 * the end-user's budget of such checks has a unit left (not the customer's own: whoever keeps the
 * address cannot use that up). Spent before the page is sent, so that the page says a check runs
 * only when one does; whether it does is all the page learns. A check Conductor failed gives its
 * unit back as the customer's own Check now would, and so does one that found the end-user
 * offboarded in between.
 */
export async function checkOnceSent(
  endUserId: string | undefined,
  { until, proof }: { until: unknown; proof: unknown },
): Promise<boolean> {
  if (!endUserId || !provesSetupReturn(endUserId, until, proof)) return false;
  // An end-user offboarded since (or never cached here) is asked nothing: nothing spent or said.
  if (!(await checkableAfterSetupReturn(endUserId))) return false;
  const budget = budgets.setupReturnCheck;
  if (!(await spendPerEndUser(budget, endUserId)).allowed) return false;
  after(() =>
    withinMaxDuration(PAGE_MAX_DURATION_S, () => checkAfterSetupReturn(endUserId)).then(
      (checked) => {
        if (!checked) givePerEndUserBack(budget, endUserId);
        log.info(checked ? "connection.checked_after_setup" : "connection.not_checked_after_setup", { endUserId });
      },
      (error: unknown) => {
        settlePerEndUserFailure(budget, endUserId, error);
        log.warn("connection.check_after_setup_failed", {
          endUserId,
          code: error instanceof AppError ? error.code : "internal_error",
        });
      },
    ),
  );
  return true;
}
