/**
 * Writes end-users exactly as Conductor returned them, with their integration connections, in
 * one statement: the end-user rows are upserted, connections Conductor no longer lists are
 * removed and the others upserted. An end-user is linked to our user whose id is its sourceId.
 * One whose sourceId is already cached under another id (Conductor holds duplicates) is skipped:
 * the cache keeps one live end-user per sourceId. A tombstone is never rewritten (an answer
 * requested before the deletion must not bring it back).
 */
import "server-only";
import { db, Prisma, type Tx } from "@/lib/db/client";
import { oldestFirst, type EndUser, type UpstreamEndUser } from "@/lib/model/end-user";
import { AppError } from "@/lib/platform/errors/app-error";
import { isoOrNull as iso } from "@/lib/platform/format";
import { findEndUserBySourceId, isTombstone } from "./end-users";

/**
 * Returns when the rows were written (their syncedAt), or null when every one was skipped.
 * `alongside` are further data-modifying steps (`name AS (…)`) that must commit or fail together
 * with the write, in the same statement.
 */
export async function writeUpstreamEndUsers(
  tx: Tx,
  endUsers: UpstreamEndUser[],
  alongside: Prisma.Sql[] = [],
): Promise<Date | null> {
  const connections = endUsers.flatMap((endUser) =>
    endUser.integrationConnections.map((c) => ({ ...c, endUserId: endUser.id })),
  );
  const ids = endUsers.map((e) => e.id);
  const [written] = await tx.$queryRaw<{ syncedAt: Date | null }[]>`
    WITH written AS (
      INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "userId", "missingUpstreamSince")
      SELECT t.id, t.source_id, t.company_name, t.email, t.created_at, timezone('UTC', now()),
             (SELECT u."id" FROM "User" u WHERE u."id" = t.source_id), NULL
      FROM unnest(${ids}::text[], ${endUsers.map((e) => e.sourceId)}::text[], ${endUsers.map((e) => e.companyName)}::text[],
                  ${endUsers.map((e) => e.email)}::text[], ${endUsers.map((e) => iso(e.createdAt))}::timestamp(3)[])
           AS t(id, source_id, company_name, email, created_at)
      WHERE NOT EXISTS (SELECT 1 FROM "ConductorEndUser" o WHERE o."sourceId" = t.source_id AND o."id" <> t.id AND o."deletedAt" IS NULL)
      ON CONFLICT ("id") DO UPDATE SET
        "sourceId" = EXCLUDED."sourceId", "companyName" = EXCLUDED."companyName", "email" = EXCLUDED."email",
        "createdAt" = EXCLUDED."createdAt", "syncedAt" = EXCLUDED."syncedAt", "userId" = EXCLUDED."userId",
        "missingUpstreamSince" = NULL
      WHERE "ConductorEndUser"."deletedAt" IS NULL
      RETURNING "id", "syncedAt"
    ), stale AS (
      DELETE FROM "IntegrationConnection"
      WHERE "endUserId" IN (SELECT "id" FROM written) AND NOT ("id" = ANY(${connections.map((c) => c.id)}::text[]))
    ), upserted AS (
      INSERT INTO "IntegrationConnection" ("id", "endUserId", "integrationSlug", "createdAt", "lastRequestAt", "lastSuccessfulRequestAt")
      SELECT id, end_user_id, slug::"IntegrationSlug", created_at, last_request_at, last_successful_request_at
      FROM unnest(${connections.map((c) => c.id)}::text[], ${connections.map((c) => c.endUserId)}::text[],
                  ${connections.map((c) => c.integrationSlug)}::text[], ${connections.map((c) => iso(c.createdAt))}::timestamp(3)[],
                  ${connections.map((c) => iso(c.lastRequestAt))}::timestamp(3)[],
                  ${connections.map((c) => iso(c.lastSuccessfulRequestAt))}::timestamp(3)[])
           AS t(id, end_user_id, slug, created_at, last_request_at, last_successful_request_at)
      WHERE t.end_user_id IN (SELECT "id" FROM written)
      ON CONFLICT ("id") DO UPDATE SET
        "endUserId" = EXCLUDED."endUserId", "integrationSlug" = EXCLUDED."integrationSlug", "createdAt" = EXCLUDED."createdAt",
        "lastRequestAt" = EXCLUDED."lastRequestAt", "lastSuccessfulRequestAt" = EXCLUDED."lastSuccessfulRequestAt"
    )${alongside.length ? Prisma.sql`, ${Prisma.join(alongside, ", ")}` : Prisma.empty}
    SELECT max("syncedAt") AS "syncedAt" FROM written`;
  return written?.syncedAt ?? null;
}

/**
 * Writes one end-user as Conductor returned it (with `alongside` steps) and answers with the
 * cached shape. When its sourceId is already cached under another id, nothing of it is cached:
 * a 409 that names the cached one.
 */
export async function saveUpstreamEndUser(upstream: UpstreamEndUser, alongside: Prisma.Sql[] = []): Promise<EndUser> {
  const syncedAt = await writeUpstreamEndUsers(await db(), [upstream], alongside);
  if (!syncedAt) {
    if (await isTombstone(upstream.id)) throw new AppError("end_user_deleted");
    const cached = await findEndUserBySourceId(upstream.sourceId);
    throw new AppError(
      "source_id_conflict",
      `Conductor holds another end-user with the same sourceId; the one cached is ${cached?.id ?? "gone"}.`,
    );
  }
  const integrationConnections = [...upstream.integrationConnections].sort(oldestFirst);
  return { ...upstream, integrationConnections, syncedAt, deletedAt: null };
}
