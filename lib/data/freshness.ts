/**
 * How fresh a cached end-user is. syncedAt is when its row was last written from Conductor's
 * answer; a full refresh that found it unchanged (and did not flag it missing) confirmed it as of
 * that refresh's listing, without rewriting it.
 */
import "server-only";
import { db } from "@/lib/db/client";
import { singleton } from "@/lib/platform/singleton";

type Freshness = { syncedAt: Date; missingUpstreamSince: Date | null; deletedAt: Date | null };

/** When the latest full refresh requested Conductor's list. */
export async function lastFullSyncAt(): Promise<Date | null> {
  const event = await (
    await db()
  ).auditEvent.findFirst({
    where: { action: "CACHE_REFRESHED" },
    orderBy: { at: "desc" },
    select: { at: true, data: true },
  });
  if (!event) return null;
  const listedAt = (event.data as { listedAt?: string } | null)?.listedAt;
  return listedAt ? new Date(listedAt) : event.at;
}

/** An offboarded end-user is gone from Conductor: no later list confirms its row. */
export function confirmedSyncedAt(row: Freshness, lastSync: Date | null): Date {
  return !row.missingUpstreamSince && !row.deletedAt && lastSync && lastSync > row.syncedAt ? lastSync : row.syncedAt;
}

export function confirmed<T extends Freshness>(row: T, lastSync: Date | null): T {
  return { ...row, syncedAt: confirmedSyncedAt(row, lastSync) };
}

const RECENT_MS = 5_000;
const recent = singleton("data.lastFullSync", (): { read?: { value: Promise<Date | null>; at: number } } => ({}));

/** lastFullSyncAt, read at most every few seconds per instance, for the bulk lookup path. */
export function recentFullSyncAt(): Promise<Date | null> {
  if (recent.read && Date.now() - recent.read.at < RECENT_MS) return recent.read.value;
  const read = { value: lastFullSyncAt(), at: Date.now() };
  read.value.catch(() => recent.read === read && delete recent.read);
  recent.read = read;
  return read.value;
}
