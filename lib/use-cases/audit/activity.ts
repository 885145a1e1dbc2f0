import "server-only";
import { auditTrail } from "@/lib/data/audit";
import type { Actor } from "@/lib/model/actor";
import type { AuditRecord } from "@/lib/model/audit";
import { assertOperator } from "@/lib/use-cases/access";

/** What happened to one end-user, newest first, from the audit trail. */
export async function endUserActivity(actor: Actor, endUser: { id: string; sourceId: string }): Promise<AuditRecord[]> {
  assertOperator(actor);
  return auditTrail(endUser);
}
