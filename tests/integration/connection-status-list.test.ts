/**
 * Connection statuses across the cache: ?status= and counts on the operator's list, and the
 * refresh and reconcile jobs deriving statuses from Conductor's list without health checks.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pressSetupButton } from "../support/connect";
import { h, type HttpClient } from "../support/harness";
import { conductorCalls, openSetup, check, connection, type ConnectionBody } from "./connection/api";

const { appOrigin, cronSecret } = h.stack;
let operator: HttpClient;

beforeAll(async () => {
  operator = await h.operator();
});
beforeEach(() => h.emulator.disarm());
afterEach(() => h.emulator.disarm());

describe("GET /api/end-users?status= and counts", () => {
  const tag = `stat${Date.now()}`;
  const seeded = { not_started: 4, in_progress: 1, connected: 3, needs_attention: 2 };

  beforeAll(async () => {
    let i = 0;
    for (const [status, n] of Object.entries(seeded)) {
      for (let k = 0; k < n; k++, i++) {
        await h.sql(
          `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "connectionStatus")
           VALUES ($1, $2, $3, $4, now() - $5 * interval '1 second', now(), $6::"ConnectionStatus")`,
          [`end_usr_${tag}${i}`, `${tag}-${i}`, `Status ${tag} ${i}`, `s${i}@${tag}.example`, i, status],
        );
      }
    }
    // An offboarded one whose last status was connected: listed only with include=deleted and no
    // status filter, and counted under no status.
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "connectionStatus", "deletedAt", "deletedBy")
       VALUES ($1, $2, $3, $4, now() - interval '1 hour', now(), 'connected', now(), 'system')`,
      [`end_usr_${tag}gone`, `${tag}-gone`, `Status ${tag} gone`, `gone@${tag}.example`],
    );
  });

  const list = async (query: string) =>
    (await (await operator.fetch(`/api/end-users?${query}`)).json()) as {
      data: { connection: { status: string } }[];
      nextCursor: string | null;
      counts: Record<string, number>;
    };

  it("filters by status, with counts of the live end-users the search matches, whatever the filter, the cursor and include=deleted", async () => {
    const connected = await list(`q=${tag}&status=connected`);
    expect(connected.data.map((row) => row.connection.status)).toEqual(["connected", "connected", "connected"]);
    expect(connected.counts).toEqual(seeded);
    const firstPage = await list(`q=${tag}&status=not_started&limit=1`);
    expect(firstPage.data).toHaveLength(1);
    const secondPage = await list(`q=${tag}&status=not_started&limit=1&cursor=${firstPage.nextCursor}`);
    expect(secondPage.data[0]!.connection.status).toBe("not_started");
    expect(secondPage.counts).toEqual(seeded);
    // An offboarded end-user has no connection: no status lists or counts it, offboarded ones shown or not.
    const withOffboarded = await list(`q=${tag}&status=connected&include=deleted`);
    expect(withOffboarded.data.map((row) => row.connection.status)).toEqual(["connected", "connected", "connected"]);
    expect(withOffboarded.counts).toEqual(seeded);
    expect((await list(`q=${tag}&include=deleted`)).data).toHaveLength(
      Object.values(seeded).reduce((a, b) => a + b, 0) + 1,
    );
    const everyone = await list("limit=1");
    expect(everyone.counts.connected).toBeGreaterThanOrEqual(seeded.connected);
    // Offboarded end-users are left out, as from the list itself.
    expect(Object.values(everyone.counts).reduce((a, b) => a + b, 0)).toBe(
      await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "deletedAt" IS NULL`),
    );
  });

  it("keeps the unsearched counts exact through inserts, status changes, offboarding, deletes and thousands of changes", async () => {
    const exact = async () => {
      const rows = await h.sql<{ status: string; offboarded: boolean; n: number }>(
        `SELECT "connectionStatus" AS status, "deletedAt" IS NOT NULL AS offboarded, count(*)::int AS n
         FROM "ConductorEndUser" GROUP BY 1, 2`,
      );
      const of = (offboarded: boolean) =>
        Object.fromEntries(
          ["not_started", "in_progress", "connected", "needs_attention"].map((status) => [
            status,
            rows.find((row) => row.status === status && row.offboarded === offboarded)?.n ?? 0,
          ]),
        );
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      return { live: of(false), all: sum(of(false)) + sum(of(true)) };
    };
    /** The page's "All" chip, which counts the offboarded too when the list shows them. */
    const allChip = async () => {
      const page = await (await operator.fetch("/end-users?include=deleted")).text();
      return Number(/>All(?:<!-- -->)? <span class="count">([\d,]+)</.exec(page)![1]!.replaceAll(",", ""));
    };
    const expectExact = async () => {
      const { live, all } = await exact();
      expect((await list("limit=1")).counts).toEqual(live);
      expect((await list("limit=1&include=deleted")).counts).toEqual(live);
      expect(await allChip()).toBe(all);
    };
    const id = `end_usr_${tag}churn`;
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
       VALUES ($1, $2, 'Churn Co', 'churn@count.example', now(), now())`,
      [id, `${tag}-churn`],
    );
    await expectExact();
    await h.sql(`UPDATE "ConductorEndUser" SET "connectionStatus" = 'needs_attention' WHERE "id" = $1`, [id]);
    await h.sql(`UPDATE "ConductorEndUser" SET "deletedAt" = now(), "deletedBy" = 'system' WHERE "id" = $1`, [id]);
    await expectExact();
    // More changes than the counts keep apart before folding them together.
    await h.sql(
      `DO $$ BEGIN FOR i IN 1..1100 LOOP
         UPDATE "ConductorEndUser" SET "connectionStatus" =
           (CASE WHEN i % 2 = 0 THEN 'connected' ELSE 'in_progress' END)::"ConnectionStatus" WHERE "id" = '${id}';
       END LOOP; END $$`,
    );
    await expectExact();
    expect(await h.count(`SELECT 1 FROM "EndUserCountDelta"`)).toBeLessThanOrEqual(8);
    await expectExact();
    await h.sql(`DELETE FROM "ConductorEndUser" WHERE "id" = $1`, [id]);
    await expectExact();
  });

  it.each([
    ["an unknown status", "status=offline"],
    ["a repeated status", "status=connected&status=in_progress"],
    ["an empty status", "status="],
  ])("rejects %s with 400 naming status", async (_label, query) => {
    const response = await operator.fetch(`/api/end-users?${query}`);
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fields)).toContain("status");
  });

  it("the operator's list shows each status and filters by it, with counts on the chips", async () => {
    const html = await (await operator.fetch(`/end-users?q=${tag}&status=needs_attention`)).text();
    expect(html.match(/data-status="needs_attention"/g)).toHaveLength(2);
    expect(html).not.toContain('data-status="connected"');
    expect(html).toMatch(/>Connected(<!-- -->)? <span class="count">3<\/span>/);
    expect(html).toMatch(/aria-current="page"[^>]*>Needs attention(<!-- -->)? <span class="count">2<\/span>/);
  });
});

describe("the refresh and reconcile jobs", () => {
  it("derive the status from the list's lastSuccessfulRequestAt, and run no health check", async () => {
    const { client, endUser } = await h.onboardedCustomer("reconciled", "Reconciled Books Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    const since = Date.now();
    const response = await fetch(`${appOrigin}/api/cron/reconcile`, {
      headers: { authorization: `Bearer ${cronSecret}` },
    });
    expect(response.status).toBe(200);
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toEqual([]);
    expect(await connection(client, endUser.id)).toEqual({
      status: "connected",
      checkedAt: null,
      message: null,
      conductorRequestId: null,
    });
  });

  it("keep a newer health check's finding over the list's older successful request", async () => {
    const { client, endUser } = await h.onboardedCustomer("newer-check", "Newer Check Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    await h.emulator.setConnection(endUser.id, "offline");
    const found = ((await (await check(client, endUser.id)).json()) as ConnectionBody).connection;
    expect(found.status).toBe("needs_attention");
    expect(h.actions.formState((await h.actions.refresh(operator)).body).status).toBe("success");
    expect(await connection(client, endUser.id)).toEqual(found);
  });
});
