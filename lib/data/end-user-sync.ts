/**
 * Brings the whole cache in line with Conductor's list: batched upserts of what is new or
 * changed, nothing written for what is unchanged, and rows no longer upstream flagged (never
 * deleted: the mapping is still ours).
 */
import "server-only";
import { Prisma } from "@/lib/db/client";
import { deriveConnectionStatus } from "@/lib/model/connection";
import { oldestFirst, type UpstreamEndUser } from "@/lib/model/end-user";
import { DUPLICATES_NAMED, IGNORED_IDS_NAMED, type SyncReport } from "@/lib/model/reconcile-report";
import { isoOrNull as iso } from "@/lib/platform/format";
import { auditInsert } from "./audit";
import { lastCheckOf } from "./connection-columns";
import { readChunk, sameContent } from "./cached-chunk";
import { writeUpstreamEndUsers } from "./end-user-writes";
import { flagMissingStatement } from "./missing-upstream";
import { inSqlTransaction, type SqlTx } from "./sql-transaction";

/** End-users compared and written per step (one read of their cached rows, one upsert statement). */
const CHUNK = 2_500;

export type { SyncReport };

/**
 * One end-user per sourceId out of Conductor's list: the one already cached when Conductor holds
 * several (so it keeps being refreshed, and nothing else is confirmed in its name), else the first.
 */
function onePerSourceId(list: UpstreamEndUser[], cachedIdBySourceId: Map<string, string>) {
  const kept = new Map<string, UpstreamEndUser>();
  const ignored = new Map<string, { ids: string[]; count: number; newest: number }>();
  const ignore = ({ sourceId, id, createdAt }: UpstreamEndUser) => {
    const others = ignored.get(sourceId) ?? { ids: [], count: 0, newest: 0 };
    if (others.ids.length < IGNORED_IDS_NAMED) others.ids.push(id);
    others.count++;
    others.newest = Math.max(others.newest, createdAt.getTime());
    ignored.set(sourceId, others);
  };
  for (const endUser of [...list].sort(oldestFirst)) {
    const current = kept.get(endUser.sourceId);
    if (!current || endUser.id === cachedIdBySourceId.get(endUser.sourceId)) {
      if (current) ignore(current);
      kept.set(endUser.sourceId, endUser);
    } else ignore(endUser);
  }
  // Named for an operator to act on (in Conductor's dashboard), the newest duplicates first: the
  // ones made since the last look. The count covers them all. What stays is the cached end-user
  // when there is one, listed or not (one not listed leaves the listed ones as conflicts).
  const named = [...ignored]
    .sort(([, a], [, b]) => b.newest - a.newest)
    .slice(0, DUPLICATES_NAMED)
    .map(([sourceId, { ids, count }]) => ({
      sourceId,
      kept: cachedIdBySourceId.get(sourceId) ?? kept.get(sourceId)!.id,
      ignored: ids,
      alsoIgnored: count - ids.length,
    }));
  return { kept: [...kept.values()], named };
}

/** What the whole cache is read for: identity and freshness only, a few bytes a row. */
/** `flaggable`: live, not flagged missing yet, and last synced before the list was requested. */
type CacheKey = {
  id: string;
  sourceId: string;
  tombstone: boolean;
  /** A tombstone offboarded after the list was requested: the list predates its deletion. */
  offboardedSinceListed: boolean;
  flaggable: boolean;
};

/**
 * The end-users of one chunk that are new or differ from their cached row (`cachedRows`, read
 * with readChunk), with the checks their status is derived with; the unchanged are counted into
 * `report` (the others once their write says what it did).
 */
function changedInChunk(
  chunk: UpstreamEndUser[],
  cachedRows: Awaited<ReturnType<typeof readChunk>>,
  listedAt: Date,
  report: SyncReport,
) {
  const cachedById = new Map(cachedRows.map(({ row }) => [row.id, row]));
  // The list says nothing of health checks: each row's status is derived with its stored one.
  const checks = new Map(cachedRows.map(({ row }) => [row.id, lastCheckOf(row)]));
  // A cached row keeps its sourceId (Conductor never changes one); a new row is written anyway.
  const userIds = new Set(cachedRows.filter((r) => r.userExists).map(({ row }) => row.sourceId));
  const writes: UpstreamEndUser[] = [];
  let rewrites = 0;
  for (const endUser of chunk) {
    const cached = cachedById.get(endUser.id);
    if (cached) {
      const same =
        !cached.missingUpstreamSince &&
        cached.connectionStatus ===
          deriveConnectionStatus(endUser.integrationConnections, checks.get(cached.id) ?? null, listedAt) &&
        sameContent(cached, endUser, userIds.has(endUser.sourceId) ? endUser.sourceId : null);
      if (same) {
        report.unchanged++;
        continue;
      }
      rewrites++;
    }
    writes.push(endUser);
  }
  return { writes, checks, rewrites };
}

/** The keys of the whole cache, read in the refresh's transaction once it holds the lock. */
async function readKeys(tx: SqlTx, listedAt: Date): Promise<CacheKey[]> {
  // No timestamps come back: the database compares syncedAt.
  return tx.query<CacheKey>(Prisma.sql`
    SELECT "id", "sourceId", "deletedAt" IS NOT NULL AS "tombstone",
           coalesce("deletedAt" >= ${iso(listedAt)}::timestamp(3), false) AS "offboardedSinceListed",
           ("deletedAt" IS NULL AND "missingUpstreamSince" IS NULL AND "syncedAt" < ${iso(listedAt)}::timestamp(3)) AS "flaggable"
    FROM "ConductorEndUser"`);
}

/** What the list brings against the cache's keys: the end-users to compare and write, and the rows to flag missing. */
function compare(list: UpstreamEndUser[], keys: CacheKey[]) {
  // Tombstones are history: never rewritten, flagged or counted, whatever the list says.
  const tombstones = new Set(keys.filter((key) => key.tombstone).map((key) => key.id));
  const liveKeys = keys.filter((key) => !key.tombstone);
  const cachedIdBySourceId = new Map(liveKeys.map((key) => [key.sourceId, key.id]));
  const listed = list.filter((endUser) => !tombstones.has(endUser.id));
  const offboardedSince = new Set(keys.filter((key) => key.offboardedSinceListed).map((key) => key.id));
  const listedOffboardedSince = list.filter((endUser) => offboardedSince.has(endUser.id)).length;
  // An id listed twice is one end-user: its first entry stands, the other is a duplicate (chunks
  // rely on each id being written once).
  const seen = new Set<string>();
  const { kept: upstream, named } = onePerSourceId(
    listed.filter((endUser) => !seen.has(endUser.id) && seen.add(endUser.id)),
    cachedIdBySourceId,
  );

  const report: SyncReport = {
    upstream: list.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    // Offboarded here after the list was requested: changed since, not still listed by Conductor.
    leftAsCached: listedOffboardedSince,
    missingUpstream: 0,
    duplicates: listed.length - upstream.length,
    duplicateSourceIds: named,
    conflicts: 0,
    offboardedListed: list.length - listed.length - listedOffboardedSince,
  };
  const candidates = upstream.filter((endUser) => {
    const owner = cachedIdBySourceId.get(endUser.sourceId);
    if (owner && owner !== endUser.id) report.conflicts++;
    return !owner || owner === endUser.id;
  });
  const upstreamIds = new Set(list.map((u) => u.id));
  const missing = liveKeys.filter((key) => key.flaggable && !upstreamIds.has(key.id)).map((key) => key.id);
  return { report, candidates, missing };
}

const TRANSACTION_TIMEOUT_MS = 120_000;

/**
 * Compares and writes `candidates` CHUNK at a time. Each chunk's read is queued ahead of the write
 * before it (their ids differ, so that write cannot change what it reads), so the next chunk is
 * compared and its write built while Postgres runs the one before.
 */
async function writeChunks(
  tx: SqlTx,
  candidates: UpstreamEndUser[],
  listedAt: Date,
  report: SyncReport,
  auditor: { actor: string; conductorRequestId?: string },
) {
  const chunks: UpstreamEndUser[][] = [];
  for (let i = 0; i < candidates.length; i += CHUNK) chunks.push(candidates.slice(i, i + CHUNK));
  const [first] = chunks;
  if (!first) return;
  const readCached = (chunk: UpstreamEndUser[]) =>
    readChunk(
      tx,
      chunk.map((u) => u.id),
    );
  const writing: Promise<unknown>[] = [];
  let reading = readCached(first);
  try {
    for (const [i, chunk] of chunks.entries()) {
      const cachedRows = await reading;
      const next = chunks[i + 1];
      if (next) reading = readCached(next);
      const { writes, checks, rewrites } = changedInChunk(chunk, cachedRows, listedAt, report);
      // Only a cached row can change status: a chunk of new ones skips the audit's steps.
      const auditAs = rewrites > 0 ? auditor : undefined;
      if (writes.length) {
        // Counted as written: a row changed here after the list was requested is left as it is.
        const write = writeUpstreamEndUsers(tx, writes, {
          observedAt: listedAt,
          checks,
          auditAs,
          auditNew: auditor,
        }).then(({ written, inserted }) => {
          report.added += inserted;
          report.updated += written - inserted;
          report.leftAsCached += writes.length - written;
        });
        // Awaited below; should it fail, the statements queued after it fail too, and the
        // transaction reports the first failure.
        write.catch(() => {});
        writing.push(write);
      }
    }
  } finally {
    reading.catch(() => {});
  }
  await Promise.all(writing);
}

/** The transaction-level advisory lock refreshes take, one at a time across instances. */
const REFRESH_LOCK = 726_113_001;

/**
 * `listedAt` is when Conductor's list was requested: rows synced after it, or whose sourceId's
 * creation was still under way or finished after it (its POST may have landed after the list was
 * taken), may not be in the list yet and are not flagged missing. A row is flagged missing as of
 * `listedAt`, so that no answer requested before it can clear the flag.
 *
 * Conductor answers its whole list at once, but the cache is compared and written CHUNK end-users
 * at a time (only the keys of the whole cache are read at once), so memory stays bounded however
 * many end-users there are. All chunks are one transaction: a refresh lands whole or not at all.
 *
 * Refreshes that overlap (the cron, an operator, another instance) take turns: each compares its
 * list with the cache as the one before it left it, so a change both would see is written and
 * audited once.
 */
export async function syncCacheWithUpstream(
  list: UpstreamEndUser[],
  listedAt: Date,
  actor: string,
  conductorRequestId?: string,
): Promise<SyncReport> {
  return inSqlTransaction(async (tx) => {
    // A chunk's read is estimated from statistics taken before the refresh, high enough for
    // Postgres to JIT-compile it: about 300 ms of compiling for 40 ms of work, every chunk.
    await tx.query(Prisma.sql`SET LOCAL jit = off`);
    await tx.query(Prisma.sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK}::bigint)`);
    // Read once the lock is held: a refresh that held it before has committed.
    const { report, candidates, missing } = compare(list, await readKeys(tx, listedAt));
    const auditor = { actor, conductorRequestId };
    await writeChunks(tx, candidates, listedAt, report, auditor);
    if (missing.length) {
      const [flagged] = await tx.query<{ count: number }>(flagMissingStatement(missing, listedAt, auditor, "listedAt"));
      report.missingUpstream = flagged!.count;
    }
    await tx.query(
      auditInsert({
        action: "CACHE_REFRESHED",
        actor,
        conductorRequestId,
        data: { ...report, listedAt: listedAt.toISOString() },
      }),
    );
    return report;
  }, TRANSACTION_TIMEOUT_MS);
}
