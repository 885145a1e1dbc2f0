import "server-only";
import { listEndUsers } from "@/lib/conductor/end-users";
import { databaseNow } from "@/lib/data/clock";
import { syncCacheWithUpstream, type SyncReport } from "@/lib/data/end-user-sync";

export type RefreshReport = SyncReport & { conductorRequestId: string | undefined };

/** "Refresh from Conductor": pulls the whole upstream list into the cache. */
export async function refreshFromConductor(actor: string): Promise<RefreshReport> {
  const listedAt = await databaseNow();
  const { data, conductorRequestId } = await listEndUsers();
  return { ...(await syncCacheWithUpstream(data, listedAt, actor)), conductorRequestId };
}
