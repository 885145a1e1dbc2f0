/**
 * The mapping lookup: Conductor id ↔ our sourceId (↔ linked Altur/Dify ids), from the cache only,
 * in one prepared statement. Other backends call it in bulk, so it goes to the pool directly
 * rather than through Prisma.
 */
import "server-only";
import type { EndUserMapping } from "@/lib/model/end-user-mapping";
import { LINKED_PROVIDERS, type LinkedProvider } from "@/lib/model/providers";
import { confirmedSyncedAt, recentFullSyncAt } from "./freshness";
import { queryPrepared } from "./prepared";

export type LookupKey = { sourceId: string } | { id: string } | { provider: LinkedProvider; externalId: string };

type Row = Omit<EndUserMapping, "linkedProviders"> & {
  deletedAt: Date | null;
} & Record<LinkedProvider, string | null>;

const linked = (provider: LinkedProvider) =>
  `(SELECT p."externalId" FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND p."provider" = '${provider}') AS "${provider}"`;
const SELECT = `
  SELECT e."id", e."sourceId", e."companyName", e."email", e."createdAt", e."syncedAt", e."missingUpstreamSince",
    e."deletedAt", e."connectionStatus"::text AS "connectionStatus", ${LINKED_PROVIDERS.map(linked).join(", ")}
  FROM "ConductorEndUser" e`;

// A sourceId may name a live end-user and tombstones of earlier ones: the live one wins, else the
// latest tombstone answers (as offboarded).
const statements = {
  sourceId: [
    "lookup_by_source_id",
    `${SELECT} WHERE e."sourceId" = $1 ORDER BY e."deletedAt" DESC NULLS FIRST LIMIT 1`,
  ],
  id: ["lookup_by_id", `${SELECT} WHERE e."id" = $1`],
  provider: [
    "lookup_by_provider",
    `${SELECT} WHERE e."id" = (SELECT "endUserId" FROM "ProviderEndUser" WHERE "provider" = $1::"ExternalProvider" AND "externalId" = $2)`,
  ],
} as const;

/** The mapping, with when it was offboarded (null while live). */
export async function findMapping(key: LookupKey): Promise<(EndUserMapping & { deletedAt: Date | null }) | null> {
  const [[name, text], values] =
    "provider" in key
      ? [statements.provider, [key.provider, key.externalId]]
      : "sourceId" in key
        ? [statements.sourceId, [key.sourceId]]
        : [statements.id, [key.id]];
  const [{ rows }, lastSync] = await Promise.all([queryPrepared<Row>(name, text, values), recentFullSyncAt()]);
  const row = rows[0];
  if (!row) return null;
  const { createdAt, syncedAt, missingUpstreamSince, deletedAt, id, sourceId, companyName, email, connectionStatus } =
    row;
  return {
    id,
    sourceId,
    companyName,
    email,
    createdAt,
    syncedAt: confirmedSyncedAt({ syncedAt, missingUpstreamSince, deletedAt }, lastSync),
    connectionStatus,
    missingUpstreamSince,
    linkedProviders: Object.fromEntries(LINKED_PROVIDERS.map((p) => [p, row[p]])) as Record<
      LinkedProvider,
      string | null
    >,
    deletedAt,
  };
}
