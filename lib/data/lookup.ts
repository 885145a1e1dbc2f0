/**
 * The mapping lookup behind GET /api/end-users/lookup, for server code too: Conductor id ↔ our
 * sourceId (↔ linked Altur/Dify ids), from the cache only, in one query.
 */
import "server-only";
import { db, Prisma } from "@/lib/db/client";

export type LookupKey = { sourceId: string } | { id: string } | { provider: "altur" | "dify"; externalId: string };

export type EndUserMapping = {
  id: string;
  sourceId: string;
  companyName: string;
  email: string;
  createdAt: Date;
  syncedAt: Date;
  linkedProviders: { altur: string | null; dify: string | null };
};

type Row = Omit<EndUserMapping, "linkedProviders"> & { altur: string | null; dify: string | null };

export async function lookupEndUser(key: LookupKey): Promise<EndUserMapping | null> {
  const where =
    "provider" in key
      ? Prisma.sql`e."id" = (SELECT "endUserId" FROM "ProviderEndUser" WHERE "provider" = ${key.provider}::"ExternalProvider" AND "externalId" = ${key.externalId})`
      : "sourceId" in key
        ? Prisma.sql`e."sourceId" = ${key.sourceId}`
        : Prisma.sql`e."id" = ${key.id}`;
  const [row] = await (await db()).$queryRaw<Row[]>`
    SELECT e."id", e."sourceId", e."companyName", e."email", e."createdAt", e."syncedAt",
      (SELECT p."externalId" FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND p."provider" = 'altur') AS "altur",
      (SELECT p."externalId" FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND p."provider" = 'dify') AS "dify"
    FROM "ConductorEndUser" e
    WHERE ${where}`;
  if (!row) return null;
  const { altur, dify, ...mapping } = row;
  return { ...mapping, linkedProviders: { altur, dify } };
}
