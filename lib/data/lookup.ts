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
    e."deletedAt", e."connectionStatus"::text AS "connectionStatus", ${LINKED_PROVIDERS.map(linked).join(", ")},
    (SELECT o."createdAt" FROM "Offboarding" o WHERE o."endUserId" = e."id") AS "offboardingSince"
  FROM "ConductorEndUser" e`;

// A sourceId may name a live end-user and tombstones of earlier ones: the live one wins, else the
// latest tombstone answers (as offboarded). Each kind of key has a statement for one key and one
// for a batch: a one-key batch (every lookup when traffic is light) keeps the one-key statement's
// generic plan, where the array's would be planned anew on every execution.
const statements = {
  sourceId: {
    one: ["lookup_by_source_id", `${SELECT} WHERE e."sourceId" = $1 ORDER BY e."deletedAt" DESC NULLS FIRST LIMIT 1`],
    many: [
      "lookup_by_source_ids",
      `SELECT DISTINCT ON (m."sourceId") * FROM (${SELECT} WHERE e."sourceId" = ANY($1::text[])) AS m
       ORDER BY m."sourceId", m."deletedAt" DESC NULLS FIRST`,
    ],
  },
  id: {
    one: ["lookup_by_id", `${SELECT} WHERE e."id" = $1`],
    many: ["lookup_by_ids", `${SELECT} WHERE e."id" = ANY($1::text[])`],
  },
  provider: {
    one: [
      "lookup_by_provider",
      `${SELECT} WHERE e."id" = (SELECT "endUserId" FROM "ProviderEndUser" WHERE "provider" = $1::"ExternalProvider" AND "externalId" = $2)`,
    ],
    many: [
      "lookup_by_provider_ids",
      `${SELECT} WHERE e."id" IN (SELECT p."endUserId" FROM "ProviderEndUser" p
         JOIN unnest($1::"ExternalProvider"[], $2::text[]) AS k("provider", "externalId")
           ON p."provider" = k."provider" AND p."externalId" = k."externalId")`,
    ],
  },
} as const;

type Statements = { one: readonly [string, string]; many: readonly [string, string] };
type ProviderKey = { provider: LinkedProvider; externalId: string };

const providerKey = (provider: LinkedProvider, externalId: string) => JSON.stringify([provider, externalId]);

/**
 * One batch's rows, in the order of its keys: the row each key names, or null. `columns` are the
 * statement's parameters, one array per column; `keysOf` names what a row answers.
 */
async function batch<K>(
  { one, many }: Statements,
  keys: readonly K[],
  columns: unknown[][],
  keysOf: (row: Row) => (string | null)[],
  keyOf: (key: K) => string,
): Promise<(Row | null)[]> {
  const [name, text] = keys.length === 1 ? one : many;
  const values = keys.length === 1 ? columns.map((column) => column[0]) : columns;
  const { rows } = await queryPrepared<Row>(name, text, values);
  const byKey = new Map(rows.flatMap((row) => keysOf(row).map((key) => [key, row] as const)));
  return keys.map((key) => byKey.get(keyOf(key)) ?? null);
}

/**
 * Lookups arrive in bulk from other backends: those that start in the same turn of the event loop
 * (setImmediate, so requests read from different sockets meet; fake timers hold it) go to Postgres
 * as one statement. Nothing is cached between batches.
 */
const batched = <K>(load: (keys: readonly K[]) => Promise<(Row | null)[]>) =>
  new DataLoader<K, Row | null>(load, { cache: false, maxBatchSize: 100, batchScheduleFn: (run) => setImmediate(run) });

const loaders = {
  sourceId: batched<string>((keys) => batch(statements.sourceId, keys, [[...keys]], (row) => [row.sourceId], String)),
  id: batched<string>((keys) => batch(statements.id, keys, [[...keys]], (row) => [row.id], String)),
  provider: batched<ProviderKey>((keys) =>
    batch(
      statements.provider,
      keys,
      [keys.map((key) => key.provider), keys.map((key) => key.externalId)],
      (row) => LINKED_PROVIDERS.map((p) => (row[p] === null ? null : providerKey(p, row[p]))),
      (key) => providerKey(key.provider, key.externalId),
    ),
  ),
};

/**
 * Only a key some row could hold goes into a shared statement: one Postgres would refuse (a NUL, a
 * provider it does not know) names no end-user, and must not fail the other lookups of its batch.
 */
const matchable = (value: unknown): value is string => typeof value === "string" && !value.includes("\u0000");

const matchableProviderKey = ({ provider, externalId }: ProviderKey): boolean =>
  (LINKED_PROVIDERS as readonly unknown[]).includes(provider) && matchable(externalId);

function load(key: LookupKey): Promise<Row | null> {
  if ("provider" in key) {
    const { provider, externalId } = key;
    return matchableProviderKey(key) ? loaders.provider.load({ provider, externalId }) : Promise.resolve(null);
  }
  const [loader, value] = "sourceId" in key ? [loaders.sourceId, key.sourceId] : [loaders.id, key.id];
  return matchable(value) ? loader.load(value) : Promise.resolve(null);
}

/** A Date of the caller's own: a batch's row and the last full sync's time are shared by every caller. */
const own = <D extends Date | null>(date: D): D => (date === null ? date : (new Date(date.getTime()) as D));

/** The mapping, with when it was offboarded (null while live). */
export async function findMapping(key: LookupKey): Promise<(EndUserMapping & { deletedAt: Date | null }) | null> {
  const [row, lastSync] = await Promise.all([load(key), recentFullSyncAt()]);
  if (!row) return null;
  const { createdAt, syncedAt, missingUpstreamSince, deletedAt, id, sourceId, companyName, email, connectionStatus } =
    row;
  const { offboardingSince } = row;
  return {
    id,
    sourceId,
    companyName,
    email,
    createdAt: own(createdAt),
    syncedAt: own(confirmedSyncedAt({ syncedAt, missingUpstreamSince, deletedAt }, lastSync)),
    connectionStatus,
    missingUpstreamSince: own(missingUpstreamSince),
    offboardingSince: deletedAt ? null : own(offboardingSince),
    linkedProviders: Object.fromEntries(LINKED_PROVIDERS.map((p) => [p, row[p]])) as Record<
      LinkedProvider,
      string | null
    >,
    deletedAt: own(deletedAt),
  };
}

/**
 * The offboarded end-user that last held this provider id (the offboarding removed the link); null
 * when none did, or the id has been linked again since.
 */
export async function offboardedHolderOf(
  key: ProviderKey,
): Promise<{ id: string; sourceId: string; deletedAt: Date } | null> {
  if (!matchableProviderKey(key)) return null;
  const { rows } = await queryPrepared<{ id: string; sourceId: string; deletedAt: Date | null }>(
    "lookup_offboarded_provider_holder",
    `SELECT e."id", e."sourceId", e."deletedAt" FROM "OffboardedProviderLink" o JOIN "ConductorEndUser" e ON e."id" = o."endUserId"
     WHERE o."provider" = $1::"ExternalProvider" AND o."externalId" = $2`,
    [key.provider, key.externalId],
  );
  const row = rows[0];
  return row?.deletedAt ? { id: row.id, sourceId: row.sourceId, deletedAt: own(row.deletedAt) } : null;
}
