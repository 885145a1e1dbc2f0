import "server-only";
import { findPendingOffboardings } from "@/lib/data/offboarding";
import { AppError } from "@/lib/platform/errors/app-error";
import type { PendingOffboardingsReport } from "@/lib/model/reconcile-report";
import { log } from "@/lib/platform/log";
import { settleOffboarding } from "./settle";

export type { PendingOffboardingsReport };

/**
 * For the reconcile job: offboardings whose DELETE went unanswered (or whose holder crashed) are
 * finished: Conductor is asked first, so a DELETE that landed is never sent again. Once `inTime`
 * says the job's time is up, the rest are left for its next run.
 */
export async function settlePendingOffboardings(
  actor: string,
  limit: number,
  inTime: () => boolean = () => true,
): Promise<PendingOffboardingsReport> {
  const pending = await findPendingOffboardings(limit);
  const report = { pending: pending.length, offboarded: 0, unresolved: 0, deferred: 0 };
  for (const endUser of pending) {
    if (!inTime()) {
      report.deferred++;
      continue;
    }
    try {
      await settleOffboarding(endUser, actor, "background");
      report.offboarded++;
    } catch (error) {
      report.unresolved++;
      log.warn("reconcile.offboarding_unresolved", {
        endUserId: endUser.id,
        code: error instanceof AppError ? error.code : "internal_error",
      });
    }
  }
  return report;
}
