/**
 * The mapping lookup: Conductor id ↔ our sourceId (↔ linked Altur/Dify ids), from the cache only,
 * in prepared statements. Other backends call it in bulk, so it goes to the pool directly rather
 * than through Prisma, and concurrent lookups share a statement.
 */
import "server-only";
import DataLoader from "dataloader";
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
    "lookup_by_source_ids",
    `SELECT DISTINCT ON (m."sourceId") * FROM (${SELECT} WHERE e."sourceId" = ANY($1::text[])) AS m
     ORDER BY m."sourceId", m."deletedAt" DESC NULLS FIRST`,
  ],
  id: ["lookup_by_ids", `${SELECT} WHERE e."id" = ANY($1::text[])`],
  provider: [
    "lookup_by_provider_ids",
    `${SELECT} WHERE e."id" IN (SELECT p."endUserId" FROM "ProviderEndUser" p
       JOIN unnest($1::"ExternalProvider"[], $2::text[]) AS k("provider", "externalId")
         ON p."provider" = k."provider" AND p."externalId" = k."externalId")`,
  ],
} as const;

/** A batch's rows in the order of its keys: the row each key names, or null. */
const inKeyOrder = <K>(keys: readonly K[], rows: Row[], keyOf: (row: Row) => (K | null)[]) => {
  const byKey = new Map(rows.flatMap((row) => keyOf(row).map((key) => [key, row] as const)));
  return keys.map((key) => byKey.get(key) ?? null);
};

/**
 * Lookups arrive in bulk from other backends: those that start in the same turn of the event loop
 * go to Postgres as one statement. Nothing is cached between batches.
 */
const batched = <K>(load: (keys: readonly K[]) => Promise<(Row | null)[]>) =>
  new DataLoader<K, Row | null>(load, { cache: false, maxBatchSize: 100, batchScheduleFn: (run) => setImmediate(run) });

const rowsFor = async (statement: readonly [string, string], values: unknown[]) =>
  (await queryPrepared<Row>(statement[0], statement[1], values)).rows;

const loaders = {
  sourceId: batched<string>(async (keys) =>
    inKeyOrder(keys, await rowsFor(statements.sourceId, [keys]), (row) => [row.sourceId]),
  ),
  id: batched<string>(async (keys) => inKeyOrder(keys, await rowsFor(statements.id, [keys]), (row) => [row.id])),
  provider: batched<`${LinkedProvider}:${string}`>(async (keys) => {
    const pairs = keys.map((key) => key.split(/:(.*)/s) as [LinkedProvider, string]);
    const rows = await rowsFor(statements.provider, [pairs.map(([p]) => p), pairs.map(([, id]) => id)]);
    return inKeyOrder(keys, rows, (row) => LINKED_PROVIDERS.map((p) => (row[p] === null ? null : `${p}:${row[p]}`)));
  }),
};

function load(key: LookupKey): Promise<Row | null> {
  if ("provider" in key) return loaders.provider.load(`${key.provider}:${key.externalId}`);
  return "sourceId" in key ? loaders.sourceId.load(key.sourceId) : loaders.id.load(key.id);
}

/** The mapping, with when it was offboarded (null while live). */
export async function findMapping(key: LookupKey): Promise<(EndUserMapping & { deletedAt: Date | null }) | null> {
  const [row, lastSync] = await Promise.all([load(key), recentFullSyncAt()]);
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
