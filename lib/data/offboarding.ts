/**
 * Offboarding state, taken before Conductor's DELETE is sent so that one request at a time works
 * on an end-user, and so that a DELETE whose answer was lost is looked for before another is sent.
 * The end-user becomes a tombstone in one statement with everything that goes with it.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import type { AuditAction } from "@/lib/model/audit";

export type OffboardAttempt =
  /** `deletePending`: an earlier DELETE may have landed; ask Conductor before sending another. */
  | { kind: "acquired"; token: string; deletePending: boolean; requestedBy: string }
  | { kind: "busy" }
  | { kind: "tombstone"; deletedAt: Date }
  | { kind: "unknown" };

export type Tombstone = { id: string; sourceId: string; deletedAt: Date; deletedBy: string };

/**
 * Takes the end-user's offboarding when it is live and nobody holds it: new, or left with an
 * unknown outcome, or abandoned by a crash. One statement, so concurrent callers cannot both win.
 * The taker is about to send a DELETE, so deleteStartedAt is set now unless one is pending.
 */
export async function acquireOffboarding(
  endUserId: string,
  requestedBy: string,
  leaseMs: number,
): Promise<OffboardAttempt> {
  const prisma = await db();
  const token = randomUUID();
  const [taken] = await prisma.$queryRaw<{ requestedBy: string; sentNow: boolean }[]>`
    INSERT INTO "Offboarding" AS o ("endUserId", "requestedBy", "attempts", "leaseToken", "leaseExpiresAt", "deleteStartedAt", "createdAt", "updatedAt")
    SELECT e."id", ${requestedBy}, 1, ${token}, timezone('UTC', now()) + ${leaseMs} * interval '1 millisecond',
           timezone('UTC', now()), timezone('UTC', now()), timezone('UTC', now())
    FROM "ConductorEndUser" e WHERE e."id" = ${endUserId} AND e."deletedAt" IS NULL
    -- Waits for a tombstone being written, then sees it: nobody takes a finished offboarding.
    FOR SHARE OF e
    ON CONFLICT ("endUserId") DO UPDATE SET
      "attempts" = o."attempts" + 1,
      "leaseToken" = EXCLUDED."leaseToken",
      "leaseExpiresAt" = EXCLUDED."leaseExpiresAt",
      "deleteStartedAt" = COALESCE(o."deleteStartedAt", EXCLUDED."deleteStartedAt"),
      "updatedAt" = timezone('UTC', now())
    WHERE o."leaseExpiresAt" IS NULL OR o."leaseExpiresAt" < timezone('UTC', now())
    RETURNING o."requestedBy", (o."deleteStartedAt" = timezone('UTC', now())::timestamp(3)) AS "sentNow"`;
  if (taken) return { kind: "acquired", token, deletePending: !taken.sentNow, requestedBy: taken.requestedBy };
  const row = await prisma.conductorEndUser.findUnique({
    where: { id: endUserId },
    select: { deletedAt: true },
  });
  if (!row) return { kind: "unknown" };
  if (row.deletedAt) return { kind: "tombstone", deletedAt: row.deletedAt };
  return { kind: "busy" };
}

const held = (endUserId: string, token: string) => ({ endUserId, leaseToken: token });

/** Records that a DELETE is about to leave (after a pending one was looked for); false when the lease was lost. */
export async function markDeleting(endUserId: string, token: string, leaseMs: number): Promise<boolean> {
  const count = await (
    await db()
  ).$executeRaw`
    UPDATE "Offboarding"
    SET "deleteStartedAt" = timezone('UTC', now()), "leaseExpiresAt" = timezone('UTC', now()) + ${leaseMs} * interval '1 millisecond',
        "updatedAt" = timezone('UTC', now())
    WHERE "endUserId" = ${endUserId} AND "leaseToken" = ${token} AND "leaseExpiresAt" > timezone('UTC', now())`;
  return count === 1;
}

/** Conductor may have deleted it: keep deleteStartedAt so the next holder looks first. */
export async function markOffboardingUnknown(
  endUserId: string,
  token: string,
  error?: { code: string; conductorRequestId?: string },
): Promise<void> {
  await (
    await db()
  ).offboarding.updateMany({
    where: held(endUserId, token),
    data: {
      leaseToken: null,
      leaseExpiresAt: null,
      ...(error ? { errorCode: error.code, conductorRequestId: error.conductorRequestId ?? null } : {}),
    },
  });
}

/** Conductor refused the DELETE (nothing was deleted): the end-user is simply live again. */
export async function dropOffboarding(endUserId: string, token: string): Promise<void> {
  await (await db()).offboarding.deleteMany({ where: held(endUserId, token) });
}

export type TombstoneEvent = {
  action: Extract<AuditAction, "END_USER_OFFBOARDED" | "END_USER_TOMBSTONED">;
  actor: string;
  conductorRequestId?: string;
  data?: Record<string, unknown>;
};

/**
 * Makes a live end-user a tombstone, once Conductor confirmed it is gone: unlinked from our user,
 * its offboarding state, its sourceId's onboarding claim and its Altur/Dify links removed (so a new
 * onboarding for the sourceId starts afresh; their ids are kept as offboarded, for lookups), its
 * connections too (Conductor deleted them: its status is not_started), and one audit event naming
 * what was unlinked and the status it had. One statement guarded by the row's state, so whoever
 * finishes it, it happens once. Null when it already was a tombstone, or is unknown.
 */
export async function tombstoneEndUser(endUserId: string, event: TombstoneEvent): Promise<Tombstone | null> {
  const data = JSON.stringify(event.data ?? {});
  // The row is locked first, in a statement of its own: a link being saved holds it until it
  // commits, and the statement below then starts late enough to see (and remove) that link.
  const prisma = await db();
  const [, rows] = await prisma.$transaction([
    prisma.$executeRaw`SELECT 1 FROM "ConductorEndUser" WHERE "id" = ${endUserId} FOR UPDATE`,
    prisma.$queryRaw<Tombstone[]>`
    WITH before AS (
      SELECT "connectionStatus"::text AS "connectionStatus" FROM "ConductorEndUser" WHERE "id" = ${endUserId}
    ), tombstoned AS (
      UPDATE "ConductorEndUser" e
      -- This statement's start, once the row is held: after whatever held it before (the
      -- transaction's own start, now(), could come before a link that committed while it waited).
      SET "deletedAt" = timezone('UTC', statement_timestamp()), "userId" = NULL, "connectionStatus" = 'not_started',
          "deletedBy" = COALESCE((SELECT o."requestedBy" FROM "Offboarding" o WHERE o."endUserId" = e."id"), ${event.actor})
      WHERE e."id" = ${endUserId} AND e."deletedAt" IS NULL
      RETURNING e."id", e."sourceId", e."deletedAt", e."deletedBy"
    ), connections AS (
      -- Conductor deleted the end-user's connections with it.
      DELETE FROM "IntegrationConnection" WHERE "endUserId" IN (SELECT "id" FROM tombstoned)
    ), offboarding AS (
      -- Also a holder's own row left behind when someone else tombstoned it first.
      DELETE FROM "Offboarding" o WHERE o."endUserId" = ${endUserId}
        AND (EXISTS (SELECT 1 FROM tombstoned)
             OR EXISTS (SELECT 1 FROM "ConductorEndUser" e WHERE e."id" = o."endUserId" AND e."deletedAt" IS NOT NULL))
    ), claim AS (
      DELETE FROM "OnboardingClaim" WHERE "sourceId" IN (SELECT "sourceId" FROM tombstoned)
    ), links AS (
      DELETE FROM "ProviderEndUser" WHERE "endUserId" IN (SELECT "id" FROM tombstoned)
      RETURNING "provider"::text AS "provider", "externalId"
    ), released AS (
      -- A lookup by a removed link's provider id still finds whose it was, until it is linked again.
      INSERT INTO "OffboardedProviderLink" ("provider", "externalId", "endUserId")
      SELECT l."provider"::"ExternalProvider", l."externalId", ${endUserId} FROM links l
      ON CONFLICT ("provider", "externalId") DO UPDATE SET "endUserId" = EXCLUDED."endUserId"
    ), audit AS (
      INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId", "endUserId", "conductorRequestId", "data")
      SELECT uuid_v7()::text, t."deletedAt", ${event.action}::"AuditAction", ${event.actor}, t."sourceId", t."id",
             ${event.conductorRequestId ?? null},
             ${data}::jsonb || jsonb_build_object('deletedBy', t."deletedBy",
               'connectionStatus', (SELECT "connectionStatus" FROM before),
               'unlinked', COALESCE((SELECT jsonb_agg(jsonb_build_object('provider', l."provider", 'externalId', l."externalId")) FROM links l), '[]'::jsonb))
      FROM tombstoned t
    )
    SELECT "id", "sourceId", "deletedAt", "deletedBy" FROM tombstoned`,
  ]);
  return rows[0] ?? null;
}

/** Offboardings nobody holds: a DELETE whose outcome is unknown, or a holder that crashed. */
export async function findPendingOffboardings(limit: number): Promise<{ id: string; sourceId: string }[]> {
  return (await db()).$queryRaw`
    SELECT e."id", e."sourceId" FROM "Offboarding" o JOIN "ConductorEndUser" e ON e."id" = o."endUserId"
    WHERE (o."leaseExpiresAt" IS NULL OR o."leaseExpiresAt" < timezone('UTC', now())) AND e."deletedAt" IS NULL
    ORDER BY o."updatedAt" ASC
    LIMIT ${limit}`;
}

/** Where the end-user's offboarding stands: its tombstone's time, and whether a DELETE was sent (or may have been). */
export async function offboardingState(
  endUserId: string,
): Promise<{ deletedAt: Date | null; deleteSent: boolean } | null> {
  const [row] = await (
    await db()
  ).$queryRaw<{ deletedAt: Date | null; deleteSent: boolean }[]>`
    SELECT e."deletedAt", (o."deleteStartedAt" IS NOT NULL) AS "deleteSent"
    FROM "ConductorEndUser" e LEFT JOIN "Offboarding" o ON o."endUserId" = e."id"
    WHERE e."id" = ${endUserId}`;
  return row ?? null;
}
