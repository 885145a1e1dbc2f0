import "server-only";
import { db, Prisma, type Tx } from "@/lib/db/client";
import type { AuditAction as PrismaAuditAction } from "@/lib/db/generated/enums";
import type { AuditAction, AuditEntry } from "@/lib/model/audit";

// The database's enum and the model's list must name the same actions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const actionsMatch: Same<AuditAction, PrismaAuditAction> = true;
void actionsMatch;

export async function recordAudit(entry: AuditEntry, tx?: Tx): Promise<void> {
  await (tx ?? (await db())).auditEvent.create({
    data: { ...entry, data: entry.data as Prisma.InputJsonObject | undefined },
  });
}

/** The same entry as a step of a larger statement, written only when `condition` holds. */
export function auditStep(entry: AuditEntry, condition: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`audit AS (
    INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId", "endUserId", "data")
    SELECT gen_random_uuid()::text, timezone('UTC', now()), ${entry.action}::"AuditAction", ${entry.actor},
           ${entry.sourceId ?? null}, ${entry.endUserId ?? null}, ${entry.data ? JSON.stringify(entry.data) : null}::jsonb
    WHERE ${condition})`;
}

export type AuditEvent = { id: string; at: Date; action: AuditAction; actor: string };

/** The latest events about one end-user, newest first, with who did each (an email when a user did). */
export async function auditTrail(endUser: { id: string; sourceId: string }, take = 20): Promise<AuditEvent[]> {
  const prisma = await db();
  const events = await prisma.auditEvent.findMany({
    // Onboarding events are recorded before Conductor's id is known: they carry only the sourceId.
    where: { OR: [{ endUserId: endUser.id }, { sourceId: endUser.sourceId }] },
    orderBy: { at: "desc" },
    take,
    select: { id: true, at: true, action: true, actor: true },
  });
  const users = await prisma.user.findMany({
    where: { id: { in: events.map((e) => e.actor) } },
    select: { id: true, email: true },
  });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return events.map((event) => ({ ...event, actor: emails.get(event.actor) ?? event.actor }));
}
