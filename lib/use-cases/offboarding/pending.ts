import "server-only";
import { findPendingOffboardings } from "@/lib/data/offboarding";
import { AppError } from "@/lib/platform/errors/app-error";
import type { PendingOffboardingsReport } from "@/lib/model/reconcile-report";
import { log } from "@/lib/platform/log";
import { settleOffboarding } from "./settle";

export type { PendingOffboardingsReport };

/**
 * For the reconcile job: offboardings whose DELETE went unanswered (or whose holder crashed) are
 * finished: Conductor is asked first, so a DELETE that landed is never sent again.
 */
export async function settlePendingOffboardings(actor: string, limit: number): Promise<PendingOffboardingsReport> {
  const pending = await findPendingOffboardings(limit);
  const report = { pending: pending.length, offboarded: 0, unresolved: 0 };
  for (const endUser of pending) {
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
