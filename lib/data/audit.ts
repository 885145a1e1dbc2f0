/**
 * The audit trail: events are only ever inserted (the database refuses UPDATE, DELETE and
 * TRUNCATE on "AuditEvent"), and read newest first in keyset pages.
 */
import "server-only";
import { db, Prisma, type Tx } from "@/lib/db/client";
import type { AuditAction as PrismaAuditAction } from "@/lib/db/generated/enums";
import {
  JOB_ACTORS,
  SYSTEM_ACTOR,
  type AuditAction,
  type AuditEntry,
  type AuditPage,
  type AuditRecord,
} from "@/lib/model/audit";
import { decodeCursor, keysetPage, readingFrom, type Position } from "./cursor";
import { withinRowTimes } from "./row-times";
import { runPrepared } from "./prepared";

// The database's enum and the model's list must name the same actions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const actionsMatch: Same<AuditAction, PrismaAuditAction> = true;
void actionsMatch;

const AUDIT_COLUMNS = Prisma.raw(
  `"id", "at", "action", "actor", "sourceId", "endUserId", "conductorRequestId", "data"`,
);

/** When the statement began: what the other rows a statement writes are timed by. */
const STATEMENT_TIME = Prisma.raw(`timezone('UTC', now())`);
/** When the event is written: later than its statement's start by any lock the transaction waited on. */
const WRITE_TIME = Prisma.raw(`timezone('UTC', clock_timestamp())`);

/** An event's values, in AUDIT_COLUMNS' order, timed by the database's clock. */
const auditValues = (entry: AuditEntry, at = STATEMENT_TIME) =>
  Prisma.sql`uuid_v7()::text, ${at}, ${entry.action}::"AuditAction", ${entry.actor},
    ${entry.sourceId ?? null}, ${entry.endUserId ?? null}, ${entry.conductorRequestId ?? null},
    ${entry.data ? JSON.stringify(entry.data) : null}::jsonb`;

/** The statement that records one event. */
export const auditInsert = (entry: AuditEntry, at = STATEMENT_TIME) =>
  Prisma.sql`INSERT INTO "AuditEvent" (${AUDIT_COLUMNS}) VALUES (${auditValues(entry, at)})`;

/**
 * Records an event within `tx`, when it is written (transactions that waited on each other's locks
 * are then in the order they took effect); without one, alone, as a prepared statement (most
 * actions write one). Either way by the database's clock, as every other event is: Prisma would
 * fill `at` from this process's clock, which on another host is not Postgres's.
 */
export async function recordAudit(entry: AuditEntry, tx?: Tx): Promise<void> {
  if (tx) await tx.$executeRaw(auditInsert(entry, WRITE_TIME));
  else await runPrepared(auditInsert(entry));
}

/** The same entry as a step of a larger statement, written only when `condition` holds. */
export function auditStep(entry: AuditEntry, condition: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`audit AS (INSERT INTO "AuditEvent" (${AUDIT_COLUMNS}) SELECT ${auditValues(entry)} WHERE ${condition})`;
}

/**
 * An event for each row `rows` yields, as the body of a step of a larger statement: `rows` is a
 * FROM clause over that statement's own steps, naming the row `r`, whose "id" and "sourceId" are
 * the event's end-user; `data` is a jsonb expression over it.
 */
export function auditEachRow(
  rows: Prisma.Sql,
  event: { action: AuditAction; actor: string; conductorRequestId?: string; data: Prisma.Sql },
): Prisma.Sql {
  return Prisma.sql`INSERT INTO "AuditEvent" (${AUDIT_COLUMNS})
    SELECT uuid_v7()::text, timezone('UTC', now()), ${event.action}::"AuditAction", ${event.actor},
           r."sourceId", r."id", ${event.conductorRequestId ?? null}::text, ${event.data}
    FROM ${rows}`;
}

export type AuditFilter = {
  action?: AuditAction;
  /** A person's email, or "system" for every job. */
  actor?: string;
  endUserId?: string;
  /** Events carrying this sourceId, and events about any end-user that has it. */
  sourceId?: string;
  /** Inclusive lower bound and exclusive upper bound on `at`. */
  since?: Date;
  before?: Date;
  /** One end-user's own events, and the onboarding events of its sourceId that name no end-user. */
  about?: { id: string; sourceId: string };
};

function conditions(filter: AuditFilter, from: Position | null): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  if (filter.action) where.push(Prisma.sql`e."action" = ${filter.action}::"AuditAction"`);
  if (filter.actor === SYSTEM_ACTOR) where.push(Prisma.sql`e."actor" = ANY(${[...JOB_ACTORS]}::text[])`);
  else if (filter.actor) {
    // Rows written before emails were stored name the user by id.
    where.push(Prisma.sql`(e."actor" = ${filter.actor}
      OR e."actor" IN (SELECT u."id" FROM "User" u WHERE lower(u."email") = ${filter.actor}))`);
  }
  if (filter.endUserId) where.push(Prisma.sql`e."endUserId" = ${filter.endUserId}`);
  if (filter.sourceId) {
    where.push(Prisma.sql`(e."sourceId" = ${filter.sourceId}
      OR e."endUserId" IN (SELECT c."id" FROM "ConductorEndUser" c WHERE c."sourceId" = ${filter.sourceId}))`);
  }
  if (filter.about) {
    where.push(Prisma.sql`(e."endUserId" = ${filter.about.id}
      OR (e."endUserId" IS NULL AND e."sourceId" = ${filter.about.sourceId}))`);
  }
  if (filter.since) where.push(Prisma.sql`e."at" >= ${withinRowTimes(filter.since)}::timestamp(3)`);
  if (filter.before) where.push(Prisma.sql`e."at" < ${withinRowTimes(filter.before)}::timestamp(3)`);
  if (from)
    where.push(
      Prisma.sql`(e."at", e."id") ${Prisma.raw(readingFrom(from).past)} (${from.createdAt}::timestamp(3), ${from.id})`,
    );
  return where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
}

/**
 * Newest first, keyset-paginated by (at, id). The actor is shown as the person's email (looked up
 * for rows that hold a user id) or "system"; a request id kept only in the details is surfaced.
 */
export async function findAuditEvents(
  filter: AuditFilter,
  page: { cursor?: string; limit: number },
): Promise<AuditPage> {
  const from = page.cursor ? decodeCursor("audit", page.cursor) : null;
  const order = Prisma.raw(readingFrom(from).order);
  const rows = await (
    await db()
  ).$queryRaw<AuditRecord[]>`
    SELECT e."id", e."at", e."action"::text AS "action",
           CASE WHEN e."actor" = ANY(${[...JOB_ACTORS]}::text[]) THEN ${SYSTEM_ACTOR} ELSE COALESCE(u."email", e."actor") END AS "actor",
           e."endUserId", e."sourceId", COALESCE(e."conductorRequestId", e."data"->>'conductorRequestId') AS "conductorRequestId",
           e."data"
    FROM "AuditEvent" e LEFT JOIN "User" u ON u."id" = e."actor"
    ${conditions(filter, from)}
    ORDER BY e."at" ${order}, e."id" ${order}
    LIMIT ${page.limit + 1}`;
  return keysetPage("audit", rows, page.limit, from, (row) => ({ createdAt: row.at, id: row.id }));
}

/** The latest events about one end-user, newest first. */
export async function auditTrail(endUser: { id: string; sourceId: string }, take = 20): Promise<AuditRecord[]> {
  return (await findAuditEvents({ about: endUser }, { limit: take })).data;
}
