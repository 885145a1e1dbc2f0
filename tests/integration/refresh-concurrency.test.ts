/**
 * Refreshes that overlap (the cron, an operator's button, two instances) take turns, so each
 * change they would both see is recorded once, by the one that makes it. Their list is dated in
 * 2000, so the rows other tests cache now are neither flagged nor written.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { syncCacheWithUpstream } from "@/lib/data/end-user-sync";
import type { UpstreamEndUser } from "@/lib/model/end-user";
import { h } from "../support/harness";

const LISTED_AT = new Date("2000-01-02T00:00:00.000Z");

async function cachedIn2000(id: string) {
  await h.sql(
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
     VALUES ($1, $1, 'Overlap Co', 'o@overlap.test', '2000-01-01', '2000-01-01')`,
    [id],
  );
}

/** Holds `ids` locked until `release`, so that both refreshes have started before either writes. */
async function holdRows(ids: string[]) {
  const client = new pg.Client({ connectionString: h.stack.databaseUrl });
  await client.connect();
  await client.query("BEGIN");
  await client.query(`SELECT 1 FROM "ConductorEndUser" WHERE "id" = ANY($1) FOR UPDATE`, [ids]);
  const [{ pid }] = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows as [{ pid: number }];
  // Statements waiting on the held rows, or on a statement that waits on them.
  const waiting = async () =>
    h.count(
      `WITH RECURSIVE chain(pid) AS (
         SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
         UNION SELECT a.pid FROM pg_stat_activity a JOIN chain c ON c.pid = ANY(pg_blocking_pids(a.pid)))
       SELECT pid FROM chain`,
      [pid],
    );
  return {
    untilWaiting: async (n: number) => {
      const deadline = Date.now() + 30_000;
      while ((await waiting()) < n) {
        if (Date.now() > deadline) throw new Error(`fewer than ${n} statements waited on the held rows`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    release: async () => {
      await client.query("COMMIT");
      await client.end();
    },
  };
}

const eventsOf = async (endUserId: string, action: string) =>
  h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND "action" = $2::"AuditAction"`, [endUserId, action]);

describe("overlapping refreshes", () => {
  it("record an end-user gone from Conductor's list, and a connection status the list changed, once between them", async () => {
    const stamp = Date.now();
    const [gone, connected] = [`end_usr_overlapgone${stamp}`, `end_usr_overlapconn${stamp}`];
    await cachedIn2000(gone);
    await cachedIn2000(connected);
    const listed: UpstreamEndUser = {
      id: connected,
      sourceId: connected,
      companyName: "Overlap Co",
      email: "o@overlap.test",
      createdAt: new Date("2000-01-01T00:00:00.000Z"),
      integrationConnections: [
        {
          id: `int_conn_overlap${stamp}`,
          integrationSlug: "quickbooks_desktop",
          createdAt: new Date("2000-01-01T00:00:00.000Z"),
          lastRequestAt: new Date("2000-01-01T12:00:00.000Z"),
          lastSuccessfulRequestAt: new Date("2000-01-01T12:00:00.000Z"),
        },
      ],
    };
    const held = await holdRows([gone, connected]);
    const refreshes = ["cron", "ops@example.test"].map((actor) => syncCacheWithUpstream([listed], LISTED_AT, actor));
    await held.untilWaiting(2);
    await held.release();
    const reports = await Promise.all(refreshes);

    expect(await eventsOf(gone, "END_USER_MISSING_UPSTREAM")).toBe(1);
    expect(reports.map((report) => report.missingUpstream).sort()).toEqual([0, 1]);
    expect(await eventsOf(connected, "CONNECTION_STATUS_CHANGED")).toBe(1);
    const [row] = await h.sql<{ connectionStatus: string }>(
      `SELECT "connectionStatus"::text FROM "ConductorEndUser" WHERE "id" = $1`,
      [connected],
    );
    expect(row?.connectionStatus).toBe("connected");
  });
});
