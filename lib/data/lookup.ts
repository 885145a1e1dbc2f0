/**
 * The mapping lookup behind GET /api/end-users/lookup, for server code too: Conductor id ↔ our
 * sourceId (↔ linked Altur/Dify ids), from the cache only, in one statement. This is the API
 * other backends call in bulk, so it goes to the pool directly rather than through Prisma.
 */
import "server-only";
import { pgPool } from "@/lib/db/client";

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

type Row = { id: string; sourceId: string; companyName: string; email: string; createdAt: string; syncedAt: string; altur: string | null; dify: string | null };

// Timestamps leave Postgres as UTC ISO text: node-postgres would read `timestamp` columns in the
// process's local time zone.
const iso = (expression: string, name: string) => `to_char(${expression}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${name}"`;
// syncedAt as last confirmed (see confirmed() in end-users.ts): the latest full refresh's listing
// time, for rows it did not flag missing.
const CONFIRMED = `CASE WHEN e."missingUpstreamSince" IS NULL THEN GREATEST(e."syncedAt",
  (SELECT ("data"->>'listedAt')::timestamp(3) FROM "AuditEvent" WHERE "action" = 'CACHE_REFRESHED' ORDER BY "at" DESC LIMIT 1))
  ELSE e."syncedAt" END`;
const SELECT = `
  SELECT e."id", e."sourceId", e."companyName", e."email", ${iso('e."createdAt"', "createdAt")}, ${iso(CONFIRMED, "syncedAt")},
    (SELECT p."externalId" FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND p."provider" = 'altur') AS "altur",
    (SELECT p."externalId" FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND p."provider" = 'dify') AS "dify"
  FROM "ConductorEndUser" e`;

// Unnamed statements: a transaction-mode pooler may not keep named ones on the same connection.
const statements = {
  sourceId: `${SELECT} WHERE e."sourceId" = $1`,
  id: `${SELECT} WHERE e."id" = $1`,
  provider: `${SELECT} WHERE e."id" = (SELECT "endUserId" FROM "ProviderEndUser" WHERE "provider" = $1::"ExternalProvider" AND "externalId" = $2)`,
};

export async function lookupEndUser(key: LookupKey): Promise<EndUserMapping | null> {
  const [text, values] =
    "provider" in key ? [statements.provider, [key.provider, key.externalId]] : "sourceId" in key ? [statements.sourceId, [key.sourceId]] : [statements.id, [key.id]];
  const { rows } = await (await pgPool()).query<Row>(text, values);
  const row = rows[0];
  if (!row) return null;
  const { altur, dify, createdAt, syncedAt, ...mapping } = row;
  return { ...mapping, createdAt: new Date(createdAt), syncedAt: new Date(syncedAt), linkedProviders: { altur, dify } };
}
