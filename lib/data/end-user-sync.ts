/**
 * Brings the whole cache in line with Conductor's list: batched upserts of what is new or
 * changed, nothing written for what is unchanged, and rows no longer upstream flagged (never
 * deleted: the mapping is still ours).
 */
import "server-only";
import { isDeepStrictEqual } from "node:util";
import { db } from "@/lib/db/client";
import { oldestFirst, type UpstreamEndUser } from "@/lib/model/end-user";
import { isoOrNull as iso } from "@/lib/platform/format";
import { recordAudit } from "./audit";
import { writeUpstreamEndUsers } from "./end-user-writes";

const BATCH = 2_000;

export type SyncReport = {
  upstream: number;
  added: number;
  updated: number;
  unchanged: number;
  missingUpstream: number;
  /** Upstream end-users sharing a sourceId with another (the cached one, else the earliest, is kept). */
  duplicates: number;
  /** Upstream end-users whose sourceId is cached under another id (left for an operator). */
  conflicts: number;
};

type Row = {
  id: string;
  sourceId: string;
  companyName: string;
  email: string;
  createdAt: Date;
  userId: string | null;
  connections: UpstreamEndUser["integrationConnections"];
};

function comparable(row: Row) {
  return {
    ...row,
    createdAt: iso(row.createdAt),
    connections: [...row.connections]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((c) => ({
        ...c,
        createdAt: iso(c.createdAt),
        lastRequestAt: iso(c.lastRequestAt),
        lastSuccessfulRequestAt: iso(c.lastSuccessfulRequestAt),
      })),
  };
}

/**
 * One end-user per sourceId out of Conductor's list: the one already cached when Conductor holds
 * several (so it keeps being refreshed, and nothing else is confirmed in its name), else the first.
 */
function onePerSourceId(list: UpstreamEndUser[], cachedIdBySourceId: Map<string, string>) {
  const kept = new Map<string, UpstreamEndUser>();
  for (const endUser of [...list].sort(oldestFirst)) {
    const current = kept.get(endUser.sourceId);
    if (!current || endUser.id === cachedIdBySourceId.get(endUser.sourceId)) kept.set(endUser.sourceId, endUser);
  }
  return [...kept.values()];
}

/**
 * `listedAt` is when Conductor's list was requested: rows written after it (a customer onboarding
 * meanwhile) are not in the list yet and must not be flagged missing.
 */
export async function syncCacheWithUpstream(
  list: UpstreamEndUser[],
  listedAt: Date,
  actor: string,
  conductorRequestId?: string,
): Promise<SyncReport> {
  const prisma = await db();
  const cachedRows = await prisma.conductorEndUser.findMany({
    select: {
      id: true,
      sourceId: true,
      companyName: true,
      email: true,
      createdAt: true,
      userId: true,
      syncedAt: true,
      missingUpstreamSince: true,
      deletedAt: true,
      integrationConnections: {
        select: {
          id: true,
          integrationSlug: true,
          createdAt: true,
          lastRequestAt: true,
          lastSuccessfulRequestAt: true,
        },
      },
    },
  });
  // Tombstones are history: never rewritten, flagged or counted, whatever the list says.
  const tombstones = new Set(cachedRows.filter((row) => row.deletedAt).map((row) => row.id));
  const liveRows = cachedRows.filter((row) => !row.deletedAt);
  const cachedById = new Map(liveRows.map(({ deletedAt: _deletedAt, ...row }) => [row.id, row]));
  const cachedIdBySourceId = new Map(liveRows.map((row) => [row.sourceId, row.id]));
  const listed = list.filter((endUser) => !tombstones.has(endUser.id));
  const upstream = onePerSourceId(listed, cachedIdBySourceId);
  const userIds = new Set(
    (await prisma.user.findMany({ where: { id: { in: upstream.map((u) => u.sourceId) } }, select: { id: true } })).map(
      (u) => u.id,
    ),
  );

  const writes: UpstreamEndUser[] = [];
  const report: SyncReport = {
    upstream: list.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    missingUpstream: 0,
    duplicates: listed.length - upstream.length,
    conflicts: 0,
  };
  for (const endUser of upstream) {
    const owner = cachedIdBySourceId.get(endUser.sourceId);
    if (owner && owner !== endUser.id) {
      report.conflicts++;
      continue;
    }
    const next: Row = {
      id: endUser.id,
      sourceId: endUser.sourceId,
      companyName: endUser.companyName,
      email: endUser.email,
      createdAt: endUser.createdAt,
      userId: userIds.has(endUser.sourceId) ? endUser.sourceId : null,
      connections: endUser.integrationConnections,
    };
    const cached = cachedById.get(endUser.id);
    if (!cached) report.added++;
    else {
      const { integrationConnections, missingUpstreamSince, syncedAt: _syncedAt, ...fields } = cached;
      const same =
        !missingUpstreamSince &&
        isDeepStrictEqual(comparable({ ...fields, connections: integrationConnections }), comparable(next));
      if (same) {
        report.unchanged++;
        continue;
      }
      report.updated++;
    }
    writes.push(endUser);
  }
  const upstreamIds = new Set(list.map((u) => u.id));
  const missing = liveRows
    .filter((row) => !upstreamIds.has(row.id) && !row.missingUpstreamSince && row.syncedAt < listedAt)
    .map((row) => row.id);
  report.missingUpstream = missing.length;

  await prisma.$transaction(
    async (tx) => {
      for (let i = 0; i < writes.length; i += BATCH)
        await writeUpstreamEndUsers(tx, writes.slice(i, i + BATCH), { observedAt: listedAt });
      if (missing.length) {
        await tx.$executeRaw`UPDATE "ConductorEndUser" SET "missingUpstreamSince" = timezone('UTC', now())
          WHERE "id" = ANY(${missing}::text[]) AND "syncedAt" < ${listedAt} AND "deletedAt" IS NULL`;
      }
      await recordAudit(
        { action: "CACHE_REFRESHED", actor, conductorRequestId, data: { ...report, listedAt: listedAt.toISOString() } },
        tx,
      );
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  return report;
}
