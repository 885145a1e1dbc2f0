import "server-only";
import { databaseNow } from "@/lib/data/clock";
import { syncCacheWithUpstream, type SyncReport } from "@/lib/data/end-user-sync";
import { auditActor, type Actor } from "@/lib/model/actor";
import { assertOperator } from "@/lib/use-cases/access";
import { conductor } from "@/lib/wiring/vendors";

export type RefreshReport = SyncReport & { conductorRequestId: string | undefined };

/** "Refresh from Conductor": pulls the whole upstream list into the cache. */
export async function refreshFromConductor(actor: Actor): Promise<RefreshReport> {
  assertOperator(actor);
  const listedAt = await databaseNow();
  const { data, conductorRequestId } = await conductor().listEndUsers();
  return {
    ...(await syncCacheWithUpstream(data, listedAt, auditActor(actor), conductorRequestId)),
    conductorRequestId,
  };
}
