/**
 * Writes end-users exactly as Conductor returned them, with their integration connections, in
 * one statement: the end-user rows are upserted, connections Conductor no longer lists are
 * removed and the others upserted. An end-user is linked to our user whose id is its sourceId.
 * One whose sourceId is already cached under another id (Conductor holds duplicates) is skipped:
 * the cache keeps one live end-user per sourceId. A tombstone is never rewritten (an answer
 * requested before the deletion must not bring it back).
 */
import "server-only";
import { Prisma } from "@/lib/db/client";
import { connectionFrom, deriveConnectionStatus, type ConnectionCheck } from "@/lib/model/connection";
import { oldestFirst, type EndUser, type UpstreamEndUser } from "@/lib/model/end-user";
import { modes } from "@/lib/platform/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { isoOrNull as iso } from "@/lib/platform/format";
import { auditEachRow } from "./audit";
import { isoText } from "./cached-chunk";
import { findEndUserBySourceId, isTombstone } from "./end-users";
import { runPrepared } from "./prepared";
import type { SqlTx } from "./sql-transaction";

/** The last health check of each end-user as the writer knows it (none, for an end-user not listed). */
export type KnownChecks = ReadonlyMap<string, ConnectionCheck | null>;

/**
 * Each row's connection status, derived from its new connections and the last check the writer
 * knows of; a row whose stored check differs (one ran meanwhile) keeps the status that check set.
 */
function connectionStatusColumns(endUsers: UpstreamEndUser[], checks: KnownChecks, observedAt: Date | undefined) {
  return {
    statuses: endUsers.map((e) =>
      deriveConnectionStatus(e.integrationConnections, checks.get(e.id) ?? null, observedAt ?? "now"),
    ),
    checkedAts: endUsers.map((e) => iso(checks.get(e.id)?.at ?? null)),
  };
}

/**
 * The condition for a step written alongside (see `alongside` below) about end-user `id`: true
 * when its row was written, or when it was left because the cache already holds it, live, from a
 * later answer (a refresh listed it while this answer was on its way). Data-modifying steps of one
 * statement all run, whatever the others did, and all read the rows as they were before it.
 */
export const ifCached = (id: string) =>
  Prisma.sql`(EXISTS (SELECT 1 FROM written) OR EXISTS (SELECT 1 FROM "ConductorEndUser" WHERE "id" = ${id} AND "deletedAt" IS NULL))`;

export type WriteOptions = {
  /**
   * When Conductor was asked, by the database's clock (a list's listedAt, when a POST or GET left):
   * it becomes the rows' syncedAt, and a row already synced from a later answer is not replaced,
   * so a slow answer never overwrites a newer one. Defaults to now.
   */
  observedAt?: Date;
  /**
   * Further data-modifying steps (`name AS (…)`) that must commit or fail together with the
   * write, in the same statement; guard them with ifCached.
   */
  alongside?: Prisma.Sql[];
  /** The last health check of each end-user, as the writer read it (none when not listed). */
  checks?: KnownChecks;
  /**
   * Who is refreshing (a person's email, or the job) and the request id of Conductor's answer:
   * each cached end-user whose connection status the write changes gets a CONNECTION_STATUS_CHANGED
   * event in their name, naming that request. Creation, which has its own event, leaves it out.
   */
  auditAs?: { actor: string; conductorRequestId?: string };
  /**
   * A refresh's: each end-user the write adds to the cache gets an END_USER_CACHED event in this
   * name (one created outside the app, or one whose creation was not recorded here yet).
   */
  auditNew?: { actor: string; conductorRequestId?: string };
  /**
   * `false`: the commit answers before its WAL reaches disk (synchronous_commit off for this
   * statement alone), saving a flush. Only for a write that something already on disk makes the
   * app redo if a database crash loses it: a creation's, whose claim was flushed before the POST,
   * so the claim's next holder looks the end-user up in Conductor and caches it then. Ignored on
   * the embedded database: nothing there flushes the WAL in the background, so any stop, not
   * only a crash, would lose it.
   */
  durable?: boolean;
  /**
   * Lock the cached rows before reading what they held (with `auditAs`), so that a write that
   * waited on another writer's commit compares Conductor's record with what that writer left, not
   * with the row as this statement first saw it: else both record the same status change. Each
   * single end-user's write takes it, so it never records again what another write just did. A
   * refresh's chunk does not (it would lock each of its 2,500 rows twice, unmeasured): a chunk
   * that waited on a single write's row may still record that write's change once more.
   */
  lockBefore?: boolean;
};

/**
 * How many rows the arrays hold, written into the statement as a LIMIT that never cuts: it tells
 * the planner. A prepared statement's generic plan otherwise assumes 100 rows an array and costs
 * ten times the plan for the one end-user a creation writes, so Postgres planned the statement
 * anew on every execution (0.4 ms of its 0.7 ms there). Each count is a statement of its own.
 */
const rowCount = (rows: unknown[]) => Prisma.raw(`LIMIT ${rows.length}`);

/** A CONNECTION_STATUS_CHANGED event for each of `rows` (aliased `r`), seen in Conductor's record. */
export function statusSeenEvents(
  rows: Prisma.Sql,
  { from, to }: { from: Prisma.Sql; to: Prisma.Sql },
  auditAs: { actor: string; conductorRequestId?: string },
): Prisma.Sql {
  return auditEachRow(rows, {
    action: "CONNECTION_STATUS_CHANGED",
    ...auditAs,
    data: Prisma.sql`jsonb_build_object('from', ${from}, 'to', ${to}, 'via', 'conductor_record')`,
  });
}

/**
 * The events of what Conductor's record changed in rows already cached (`written` against
 * `before`): the connection status, the end-user back after being missing from the list, its
 * company name or email.
 */
function changeEvents(auditAs: { actor: string; conductorRequestId?: string }): Prisma.Sql {
  const rewritten = (condition: Prisma.Sql) =>
    Prisma.sql`written r JOIN before b ON b."id" = r."id" WHERE ${condition}`;
  const status = statusSeenEvents(
    rewritten(Prisma.sql`b."connectionStatus" <> r."connectionStatus"`),
    { from: Prisma.sql`b."connectionStatus"`, to: Prisma.sql`r."connectionStatus"` },
    auditAs,
  );
  const back = auditEachRow(rewritten(Prisma.sql`b."missingUpstreamSince" IS NOT NULL`), {
    action: "END_USER_BACK_UPSTREAM",
    ...auditAs,
    data: Prisma.sql`jsonb_build_object('missingSince', ${isoText(Prisma.sql`b."missingUpstreamSince"`)})`,
  });
  const renamed = auditEachRow(rewritten(Prisma.sql`(b."companyName" <> r."companyName" OR b."email" <> r."email")`), {
    action: "END_USER_CHANGED_UPSTREAM",
    ...auditAs,
    data: Prisma.sql`jsonb_strip_nulls(jsonb_build_object(
      'companyName', CASE WHEN b."companyName" <> r."companyName" THEN jsonb_build_object('from', b."companyName", 'to', r."companyName") END,
      'email', CASE WHEN b."email" <> r."email" THEN jsonb_build_object('from', b."email", 'to', r."email") END))`,
  });
  return Prisma.sql`status_changes AS (${status}), back_events AS (${back}), renamed_events AS (${renamed})`;
}

/**
 * The statement answers when the rows were written (their syncedAt, null when every one was
 * skipped), how many and how many of them were new. Exported for the test of how Postgres plans it.
 */
export function upstreamWrite(
  endUsers: UpstreamEndUser[],
  {
    observedAt,
    alongside = [],
    checks = new Map(),
    auditAs,
    auditNew,
    durable = true,
    lockBefore = false,
  }: WriteOptions = {},
): Prisma.Sql {
  const syncedAt = observedAt ? Prisma.sql`${iso(observedAt)}::timestamp(3)` : Prisma.sql`timezone('UTC', now())`;
  const connections = endUsers.flatMap((endUser) =>
    endUser.integrationConnections.map((c) => ({ ...c, endUserId: endUser.id })),
  );
  const ids = endUsers.map((e) => e.id);
  const { statuses, checkedAts } = connectionStatusColumns(endUsers, checks, observedAt);
  // The rows travel as one array a column: Postgres reads 2,500 rows of arrays in a third of the
  // time it takes to read them from one JSON text (5.6 against 17.7-20.5 ms, passing included).
  const endUserColumns = Prisma.join([
    Prisma.sql`${ids}::text[]`,
    Prisma.sql`${endUsers.map((e) => e.sourceId)}::text[]`,
    Prisma.sql`${endUsers.map((e) => e.companyName)}::text[]`,
    Prisma.sql`${endUsers.map((e) => e.email)}::text[]`,
    Prisma.sql`${endUsers.map((e) => iso(e.createdAt))}::timestamp(3)[]`,
    Prisma.sql`${statuses}::text[]`,
    Prisma.sql`${checkedAts}::timestamp(3)[]`,
  ]);
  const connectionIds = connections.map((c) => c.id);
  const connectionColumns = Prisma.join([
    Prisma.sql`${connectionIds}::text[]`,
    Prisma.sql`${connections.map((c) => c.endUserId)}::text[]`,
    Prisma.sql`${connections.map((c) => c.integrationSlug)}::text[]`,
    Prisma.sql`${connections.map((c) => iso(c.createdAt))}::timestamp(3)[]`,
    Prisma.sql`${connections.map((c) => iso(c.lastRequestAt))}::timestamp(3)[]`,
    Prisma.sql`${connections.map((c) => iso(c.lastSuccessfulRequestAt))}::timestamp(3)[]`,
  ]);
  // Every step of one statement reads the rows as they were before it: `before` is the old row.
  // Locked, it waits for a writer ahead and reads the row that one committed; it must then run
  // before the upsert (the `locked` gate below), as a row this statement already updated is
  // skipped by FOR UPDATE.
  const lock = auditAs && lockBefore;
  const before = auditAs
    ? Prisma.sql`before AS (SELECT "id", "connectionStatus", "missingUpstreamSince", "companyName", "email"
                           FROM "ConductorEndUser" WHERE "id" = ANY(${ids}::text[])${lock ? Prisma.sql` FOR UPDATE` : Prisma.empty}),`
    : Prisma.empty;
  const locked = lock ? Prisma.sql`(SELECT count(*) FROM before) >= 0 AND` : Prisma.empty;
  const changes = auditAs ? Prisma.sql`, ${changeEvents(auditAs)}` : Prisma.empty;
  // A row the upsert inserted has no deleting transaction (xmax 0); an updated one has this one.
  const cachedEvents = auditNew
    ? Prisma.sql`, cached_events AS (${auditEachRow(Prisma.sql`written r WHERE r."inserted"`, {
        action: "END_USER_CACHED",
        ...auditNew,
        data: Prisma.sql`jsonb_build_object('connectionStatus', r."connectionStatus")`,
      })})`
    : Prisma.empty;
  return Prisma.sql`
    WITH ${before} written AS (
      INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "userId", "missingUpstreamSince",
                                      "connectionStatus", "connectionCheckedAt")
      -- An answer cannot have matched Conductor before the end-user existed: a creation's POST left
      -- before Conductor stamped createdAt (capped at now, should Conductor's clock run ahead).
      SELECT t.id, t.source_id, t.company_name, t.email, t.created_at,
             GREATEST(${syncedAt}, LEAST(t.created_at, timezone('UTC', now()))),
             (SELECT u."id" FROM "User" u WHERE u."id" = t.source_id), NULL, t.status::"ConnectionStatus", t.checked_at
      FROM (SELECT * FROM unnest(${endUserColumns}) AS u(id, source_id, company_name, email, created_at, status, checked_at)
              ${rowCount(endUsers)}) AS t
      -- The live row holding the sourceId, if any: one index probe a row (LIMIT keeps it a probe:
      -- joined, the planner would hash every live row for each chunk of a refresh).
      LEFT JOIN LATERAL (SELECT o."id" FROM "ConductorEndUser" o WHERE o."sourceId" = t.source_id AND o."deletedAt" IS NULL LIMIT 1) AS holder ON true
      WHERE ${locked} (holder."id" IS NULL OR holder."id" = t.id)
      ON CONFLICT ("id") DO UPDATE SET
        "sourceId" = EXCLUDED."sourceId", "companyName" = EXCLUDED."companyName", "email" = EXCLUDED."email",
        "createdAt" = EXCLUDED."createdAt", "syncedAt" = EXCLUDED."syncedAt", "userId" = EXCLUDED."userId",
        "missingUpstreamSince" = NULL,
        "connectionStatus" = CASE WHEN "ConductorEndUser"."connectionCheckedAt" IS NOT DISTINCT FROM EXCLUDED."connectionCheckedAt"
                                  THEN EXCLUDED."connectionStatus" ELSE "ConductorEndUser"."connectionStatus" END
      -- Nor a row a later list found missing: an answer requested before that list cannot say it is back.
      WHERE "ConductorEndUser"."deletedAt" IS NULL AND "ConductorEndUser"."syncedAt" <= EXCLUDED."syncedAt"
        AND ("ConductorEndUser"."missingUpstreamSince" IS NULL OR "ConductorEndUser"."missingUpstreamSince" < EXCLUDED."syncedAt")
      RETURNING "id", "syncedAt", "sourceId", "connectionStatus", "companyName", "email", xmax = 0 AS "inserted"
    ), stale AS (
      -- Only a row the upsert updated can hold connections (a row it inserted has none yet). Their
      -- ids, gathered first, are probed in the endUserId index: a chunk of new end-users probes nothing.
      DELETE FROM "IntegrationConnection"
      WHERE "endUserId" = ANY(ARRAY(SELECT "id" FROM written WHERE NOT "inserted"))
        AND "id" NOT IN (SELECT c.id FROM unnest(${connectionIds}::text[]) AS c(id))
    ), upserted AS (
      INSERT INTO "IntegrationConnection" ("id", "endUserId", "integrationSlug", "createdAt", "lastRequestAt", "lastSuccessfulRequestAt")
      SELECT id, end_user_id, slug::"IntegrationSlug", created_at, last_request_at, last_successful_request_at
      FROM (SELECT * FROM unnest(${connectionColumns})
              AS u(id, end_user_id, slug, created_at, last_request_at, last_successful_request_at)
              ${rowCount(connections)}) AS t
      WHERE t.end_user_id IN (SELECT "id" FROM written)
      ON CONFLICT ("id") DO UPDATE SET
        "endUserId" = EXCLUDED."endUserId", "integrationSlug" = EXCLUDED."integrationSlug", "createdAt" = EXCLUDED."createdAt",
        "lastRequestAt" = EXCLUDED."lastRequestAt", "lastSuccessfulRequestAt" = EXCLUDED."lastSuccessfulRequestAt"
    )${changes}${cachedEvents}${alongside.length ? Prisma.sql`, ${Prisma.join(alongside, ", ")}` : Prisma.empty}
    SELECT max("syncedAt") AS "syncedAt", count(*)::int AS "written", (count(*) FILTER (WHERE "inserted"))::int AS "inserted"
           ${durable || modes.database === "embedded" ? Prisma.empty : Prisma.sql`, set_config('synchronous_commit', 'off', true) AS "unflushed"`}
    FROM written`;
}

type Written = { syncedAt: Date | null; written: number; inserted: number };

/**
 * Writes a batch within `tx` (a refresh's transaction): how many rows it wrote, and how many of
 * those were new. The statement is queued on the connection before this returns.
 */
export async function writeUpstreamEndUsers(
  tx: SqlTx,
  endUsers: UpstreamEndUser[],
  options?: WriteOptions,
): Promise<{ written: number; inserted: number }> {
  const [row] = await tx.query<Written>(upstreamWrite(endUsers, options));
  return { written: row?.written ?? 0, inserted: row?.inserted ?? 0 };
}

/**
 * Writes one end-user as Conductor returned it and answers with the cached shape; `lastCheck` is
 * its last health check as the caller read it. When the cache already holds a later answer for it,
 * that one stands and is returned. When its sourceId is cached under another id, nothing of it is
 * cached: a 409 that names the cached one.
 */
export async function saveUpstreamEndUser(
  upstream: UpstreamEndUser,
  {
    lastCheck = null,
    whenLeftAsCached,
    ...options
  }: Omit<WriteOptions, "checks"> & {
    lastCheck?: ConnectionCheck | null;
    /**
     * Run when the write was left because the cache holds this end-user from a later answer: the
     * `alongside` steps ran only if that row was committed before the write began.
     */
    whenLeftAsCached?: () => Promise<void>;
  } = {},
): Promise<EndUser> {
  const checks = new Map([[upstream.id, lastCheck]]);
  // A read in someone's name that caches an end-user new to the cache records that, as a refresh does.
  const auditNew = options.auditNew ?? options.auditAs;
  // One end-user at a time is the interactive path (onboarding, a check, a page): prepared once.
  const [written] = await runPrepared<Written>(
    upstreamWrite([upstream], { ...options, auditNew, checks, lockBefore: true }),
  );
  const syncedAt = written?.syncedAt ?? null;
  if (!syncedAt) {
    if (await isTombstone(upstream.id)) throw new AppError("end_user_deleted");
    const cached = await findEndUserBySourceId(upstream.sourceId);
    if (cached?.id === upstream.id) {
      await whenLeftAsCached?.();
      return cached;
    }
    throw new AppError(
      "source_id_conflict",
      `Conductor holds another end-user with the same sourceId; the one cached is ${cached?.id ?? "gone"}.`,
    );
  }
  const integrationConnections = [...upstream.integrationConnections].sort(oldestFirst);
  const status = deriveConnectionStatus(integrationConnections, lastCheck, options.observedAt ?? "now");
  const connection = connectionFrom(status, lastCheck);
  return { ...upstream, integrationConnections, syncedAt, connection, deletedAt: null };
}
