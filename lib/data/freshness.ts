/**
 * How fresh a cached end-user is. syncedAt is when its row was last written from Conductor's
 * answer; a full refresh that found it unchanged (and did not flag it missing) confirmed it as of
 * that refresh's listing, without rewriting it.
 */
import "server-only";
import { lastFullSyncAt } from "./audit";

type Freshness = { syncedAt: Date; missingUpstreamSince: Date | null };

export function confirmedSyncedAt(row: Freshness, lastSync: Date | null): Date {
  return !row.missingUpstreamSince && lastSync && lastSync > row.syncedAt ? lastSync : row.syncedAt;
}

export function confirmed<T extends Freshness>(row: T, lastSync: Date | null): T {
  return { ...row, syncedAt: confirmedSyncedAt(row, lastSync) };
}

const RECENT_MS = 5_000;
const globalForSync = globalThis as unknown as { lastFullSync?: { value: Promise<Date | null>; readAt: number } };

/** lastFullSyncAt, read at most every few seconds per instance, for the bulk lookup path. */
export function recentFullSyncAt(): Promise<Date | null> {
  const cached = globalForSync.lastFullSync;
  if (cached && Date.now() - cached.readAt < RECENT_MS) return cached.value;
  const value = lastFullSyncAt();
  globalForSync.lastFullSync = { value, readAt: Date.now() };
  value.catch(() => (globalForSync.lastFullSync = undefined));
  return value;
}
