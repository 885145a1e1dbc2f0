/**
 * The reconcile job (`npm run reconcile`, and the cron route): finishes or repairs onboarding
 * claims that nobody is working on, finishes offboardings whose DELETE went unanswered, then
 * brings the cache in line with Conductor. Conductor's
 * list is fetched once and searched by sourceId before any POST.
 */
import "server-only";
import { syncCacheWithUpstream } from "@/lib/data/end-user-sync";
import { acquireClaim, findStaleClaims } from "@/lib/data/onboarding-claims";
import { pruneRateWindows } from "@/lib/data/rate-limit";
import { auditActor, type Actor } from "@/lib/model/actor";
import type { ReconcileReport } from "@/lib/model/reconcile-report";
import { AppError } from "@/lib/platform/errors/app-error";
import { log } from "@/lib/platform/log";
import { assertJob } from "@/lib/use-cases/access";
import { settlePendingOffboardings } from "@/lib/use-cases/offboarding/pending";
import { leaseMs, snapshotUpstream } from "@/lib/use-cases/onboarding/settle";
import { workClaim } from "@/lib/use-cases/onboarding/work-claim";

export type { ReconcileReport };

/**
 * `budgetMs` bounds the claims and offboardings (each may wait for Conductor's timeout): once it
 * is spent, the rest are left for the next run, and the cache is still refreshed.
 */
export async function reconcile(
  caller: Actor,
  options: { limit?: number; budgetMs?: number } = {},
): Promise<ReconcileReport> {
  assertJob(caller);
  const actor = auditActor(caller);
  const deadline = Date.now() + (options.budgetMs ?? Infinity);
  const inTime = () => Date.now() < deadline;
  const snapshot = await snapshotUpstream("background");
  const stale = await findStaleClaims(options.limit ?? 200);
  const claims = { stale: stale.length, repaired: 0, created: 0, pending: 0, failed: 0, skipped: 0, deferred: 0 };

  for (const claim of stale) {
    if (!inTime()) {
      claims.deferred++;
      continue;
    }
    const input = { sourceId: claim.sourceId, companyName: claim.companyName, email: claim.email };
    // A claim refused since it was listed belongs to the customer now: never POST for it here.
    const attempt = await acquireClaim(input, leaseMs(), { retryRefused: false });
    if (attempt.kind !== "acquired") {
      claims.skipped++;
      continue;
    }
    try {
      const result = await workClaim(attempt, input, actor, async () => snapshot);
      if (result.created) claims.created++;
      else claims.repaired++;
    } catch (error) {
      if (error instanceof AppError && error.code === "onboarding_in_progress") claims.pending++;
      else claims.failed++;
      log.warn("reconcile.claim_unresolved", {
        sourceId: claim.sourceId,
        code: error instanceof AppError ? error.code : "internal_error",
      });
    }
  }

  const offboardings = await settlePendingOffboardings(actor, options.limit ?? 200, inTime);
  const cache = await syncCacheWithUpstream(snapshot.endUsers, snapshot.listedAt, actor, snapshot.conductorRequestId);
  await pruneRateWindows();
  const { duplicateSourceIds, ...counts } = cache;
  log.info("reconcile.done", {
    ...claims,
    ...counts,
    duplicateSourceIds: duplicateSourceIds.map(({ sourceId }) => sourceId),
    offboardingsPending: offboardings.pending,
    offboardingsDeferred: offboardings.deferred,
  });
  return { claims, offboardings, cache, conductorRequestId: snapshot.conductorRequestId };
}
