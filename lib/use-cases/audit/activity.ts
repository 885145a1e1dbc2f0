import "server-only";
import { auditTrail, type AuditEvent } from "@/lib/data/audit";
import type { Actor } from "@/lib/model/actor";
import { assertOperator } from "@/lib/use-cases/access";

/** What happened to one end-user, newest first, from the audit trail. */
export async function endUserActivity(actor: Actor, endUser: { id: string; sourceId: string }): Promise<AuditEvent[]> {
  assertOperator(actor);
  return auditTrail(endUser);
}
