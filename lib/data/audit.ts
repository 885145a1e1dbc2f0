import "server-only";
import type { AuditAction } from "@/lib/db/generated/client";
import { db, Prisma } from "@/lib/db/client";
import type { Tx } from "./end-users";

export type AuditEntry = {
  action: AuditAction;
  /** A user id, or "service", "cron", "system". */
  actor: string;
  sourceId?: string;
  endUserId?: string;
  data?: Prisma.InputJsonObject;
};

export async function recordAudit(entry: AuditEntry, tx?: Tx): Promise<void> {
  await (tx ?? (await db())).auditEvent.create({ data: entry });
}

/** The same entry as a step of a larger statement (see writeUpstreamEndUsers). */
export function auditStep(entry: AuditEntry): Prisma.Sql {
  return Prisma.sql`audit AS (
    INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId", "endUserId", "data")
    VALUES (gen_random_uuid()::text, timezone('UTC', now()), ${entry.action}::"AuditAction", ${entry.actor},
            ${entry.sourceId ?? null}, ${entry.endUserId ?? null}, ${entry.data ? JSON.stringify(entry.data) : null}::jsonb))`;
}

/** The latest events about one end-user, newest first, with who did each (an email when a user did). */
export async function auditTrail(endUser: { id: string; sourceId: string }, take = 20) {
  const prisma = await db();
  const events = await prisma.auditEvent.findMany({
    // Onboarding events are recorded before Conductor's id is known: they carry only the sourceId.
    where: { OR: [{ endUserId: endUser.id }, { sourceId: endUser.sourceId }] },
    orderBy: { at: "desc" },
    take,
    select: { id: true, at: true, action: true, actor: true },
  });
  const users = await prisma.user.findMany({ where: { id: { in: events.map((e) => e.actor) } }, select: { id: true, email: true } });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return events.map((event) => ({ ...event, actor: emails.get(event.actor) ?? event.actor }));
}

/**
 * When the latest full refresh requested Conductor's list: every cached row it did not flag as
 * missing matched Conductor then, even the unchanged ones it did not rewrite.
 */
export async function lastFullSyncAt(): Promise<Date | null> {
  const event = await (await db()).auditEvent.findFirst({ where: { action: "CACHE_REFRESHED" }, orderBy: { at: "desc" }, select: { at: true, data: true } });
  if (!event) return null;
  const listedAt = (event.data as { listedAt?: string } | null)?.listedAt;
  return listedAt ? new Date(listedAt) : event.at;
}
