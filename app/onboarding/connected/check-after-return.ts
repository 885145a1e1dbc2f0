import "server-only";
import { after } from "next/server";
import { AppError } from "@/lib/platform/errors/app-error";
import { PAGE_MAX_DURATION_S, withinMaxDuration } from "@/lib/platform/function-deadline";
import { log } from "@/lib/platform/log";
import { checkAfterSetupReturn } from "@/lib/use-cases/connection/check";
import { provesSetupReturn } from "@/lib/use-cases/connection/setup-return";
import { budgetSpent } from "@/lib/web/rate-limit";
import { budgets, spendPerEndUser } from "@/lib/web/rate-limit/budgets";

/**
 * Once the page is sent, the connection of the setup this browser returned from is checked for
 * whoever reads the cache, when the address proves it is the one this app made (setup-return.ts).
 * Whether it will be is all the page learns.
 */
export function checkOnceSent(endUserId: string | undefined, proof: unknown): boolean {
  if (!endUserId || !provesSetupReturn(endUserId, proof)) return false;
  const budget = async () => {
    const decision = await spendPerEndUser(budgets.connectionCheck, endUserId);
    if (!decision.allowed) throw budgetSpent(budgets.connectionCheck, decision.retryAfterSeconds);
  };
  after(() =>
    withinMaxDuration(PAGE_MAX_DURATION_S, () => checkAfterSetupReturn(endUserId, budget)).then(
      () => log.info("connection.checked_after_setup", { endUserId }),
      (error: unknown) =>
        log.warn("connection.check_after_setup_failed", {
          endUserId,
          code: error instanceof AppError ? error.code : "internal_error",
        }),
    ),
  );
  return true;
}
