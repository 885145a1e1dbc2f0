/**
 * The mapping lookup behind GET /api/end-users/lookup, for server code too: Conductor id ↔ our
 * sourceId (↔ linked Altur/Dify ids), from the cache only, in one prepared statement. This is
 * the API other backends call in bulk, so it goes to the pool directly rather than through Prisma.
 */
import "server-only";
import { confirmedSyncedAt, recentFullSyncAt } from "./freshness";
import { queryPrepared } from "./prepared";

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

type Row = {
  id: string;
  sourceId: string;
  companyName: string;
  email: string;
  createdAt: string;
  syncedAt: string;
  missingUpstreamSince: string | null;
  altur: string | null;
  dify: string | null;
};

// Timestamps leave Postgres as UTC ISO text: node-postgres would read `timestamp` columns in the
// process's local time zone.
const iso = (column: string) => `to_char(e."${column}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${column}"`;
const SELECT = `
  SELECT e."id", e."sourceId", e."companyName", e."email", ${iso("createdAt")}, ${iso("syncedAt")}, ${iso("missingUpstreamSince")},
    (SELECT p."externalId" FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND p."provider" = 'altur') AS "altur",
    (SELECT p."externalId" FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND p."provider" = 'dify') AS "dify"
  FROM "ConductorEndUser" e`;

const statements = {
  sourceId: ["lookup_by_source_id", `${SELECT} WHERE e."sourceId" = $1`],
  id: ["lookup_by_id", `${SELECT} WHERE e."id" = $1`],
  provider: [
    "lookup_by_provider",
    `${SELECT} WHERE e."id" = (SELECT "endUserId" FROM "ProviderEndUser" WHERE "provider" = $1::"ExternalProvider" AND "externalId" = $2)`,
  ],
} as const;

export async function lookupEndUser(key: LookupKey): Promise<EndUserMapping | null> {
  const [[name, text], values] =
    "provider" in key ? [statements.provider, [key.provider, key.externalId]] : "sourceId" in key ? [statements.sourceId, [key.sourceId]] : [statements.id, [key.id]];
  const [{ rows }, lastSync] = await Promise.all([queryPrepared<Row>(name, text, values), recentFullSyncAt()]);
  const row = rows[0];
  if (!row) return null;
  const { altur, dify, createdAt, syncedAt, missingUpstreamSince, ...mapping } = row;
  const freshness = { syncedAt: new Date(syncedAt), missingUpstreamSince: missingUpstreamSince ? new Date(missingUpstreamSince) : null };
  return { ...mapping, createdAt: new Date(createdAt), syncedAt: confirmedSyncedAt(freshness, lastSync), linkedProviders: { altur, dify } };
}
