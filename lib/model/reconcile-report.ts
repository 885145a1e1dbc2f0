import { z } from "zod";

const count = z.number().int().nonnegative();

/** How many duplicated sourceIds a report names (it counts them all), and ignored ids for each. */
export const DUPLICATES_NAMED = 10;
export const IGNORED_IDS_NAMED = 5;

/** What bringing the cache in line with Conductor's list did. */
export const syncReportSchema = z.object({
  upstream: count,
  added: count,
  updated: count,
  unchanged: count,
  /**
   * Listed end-users the write left as they were because the cache changed after the list was
   * requested: their row was written from a later answer (a creation, a later refresh), flagged
   * missing by a later list, offboarded, or their sourceId taken by another end-user meanwhile.
   * Absent from reports recorded before it was counted.
   */
  leftAsCached: count.default(0),
  missingUpstream: count,
  /** Upstream end-users sharing a sourceId with another (the cached one, else the earliest, is kept). */
  duplicates: count,
  /**
   * The newest of those sourceIds (DUPLICATES_NAMED at most), each with the end-user kept and the
   * ones ignored (IGNORED_IDS_NAMED at most): what an operator looks up to remove the extra ones.
   * Absent from older reports.
   */
  duplicateSourceIds: z
    .array(
      z.object({
        sourceId: z.string(),
        kept: z.string(),
        ignored: z.array(z.string()),
        /** Ignored beyond those named. */
        alsoIgnored: count.default(0),
      }),
    )
    .default([]),
  /** Upstream end-users whose sourceId is cached under another id (left for an operator). */
  conflicts: count,
  /**
   * Listed end-users offboarded here before the list was requested (tombstones, history: never
   * rewritten). Conductor deleted them when they were offboarded, so listing one again is worth a
   * look; one offboarded after the list was requested counts as left as cached. Absent from
   * reports recorded before it was counted. With the counts above, they add up to `upstream`.
   */
  offboardedListed: count.default(0),
});

/** Offboardings whose DELETE went unanswered, and how each ended. */
export const pendingOffboardingsReportSchema = z.object({
  pending: count,
  offboarded: count,
  unresolved: count,
  /** Left for the next run: the job's time was up. */
  deferred: count,
});

/** What one run of the reconcile job did: creations settled, offboardings finished, the cache refreshed. */
export const reconcileReportSchema = z.object({
  claims: z.object({
    stale: count,
    repaired: count,
    created: count,
    pending: count,
    failed: count,
    skipped: count,
    /** Left for the next run: the job's time was up. */
    deferred: count,
  }),
  offboardings: pendingOffboardingsReportSchema,
  cache: syncReportSchema,
  conductorRequestId: z.string().optional(),
});

export type SyncReport = z.infer<typeof syncReportSchema>;

/** " (sourceId x: end_usr_a kept, end_usr_b ignored; …)", for the duplicates a report names. */
function namedDuplicates({ duplicates, duplicateSourceIds: named }: SyncReport): string {
  if (!named.length) return "";
  const each = named.map(
    ({ sourceId, kept, ignored, alsoIgnored }) =>
      `sourceId ${sourceId}: ${kept} kept, ${ignored.join(", ")}${alsoIgnored ? ` and ${alsoIgnored} more` : ""} ignored`,
  );
  const shown = named.reduce((sum, { ignored, alsoIgnored }) => sum + ignored.length + alsoIgnored, 0);
  return ` (${each.join("; ")}${duplicates > shown ? "; and more" : ""})`;
}

/** What a refresh changed, as the operator reads it: "3 added, 1 updated, 96 unchanged, 0 missing upstream". */
export function describeSyncCounts(report: SyncReport): string {
  return (
    `${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.missingUpstream} missing upstream` +
    (report.leftAsCached ? `, ${report.leftAsCached} left as cached (changed here since the list was requested)` : "") +
    (report.duplicates ? `, ${report.duplicates} duplicate sourceIds ignored${namedDuplicates(report)}` : "") +
    (report.conflicts ? `, ${report.conflicts} conflicting sourceIds left for review` : "") +
    (report.offboardedListed ? `, ${report.offboardedListed} offboarded here but still listed by Conductor` : "")
  );
}
export type PendingOffboardingsReport = z.infer<typeof pendingOffboardingsReportSchema>;
export type ReconcileReport = z.infer<typeof reconcileReportSchema>;
