import "server-only";
import type { AuditAction, Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import type { Tx } from "./end-users";

export type AuditEntry = {
  action: AuditAction;
  /** A user id, or "service", "cron", "system". */
  actor: string;
  sourceId?: string;
  endUserId?: string;
  data?: Prisma.InputJsonObject;
};

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: entry });
}

export async function auditTrail(filter: { sourceId?: string; endUserId?: string }, take = 20) {
  return (await db()).auditEvent.findMany({
    where: { OR: [filter.sourceId ? { sourceId: filter.sourceId } : {}, filter.endUserId ? { endUserId: filter.endUserId } : {}].filter((c) => Object.keys(c).length) },
    orderBy: { at: "desc" },
    take,
    select: { id: true, at: true, action: true, actor: true, data: true },
  });
}

export async function lastAudit(action: AuditAction) {
  return (await db()).auditEvent.findFirst({ where: { action }, orderBy: { at: "desc" }, select: { at: true, data: true } });
}
