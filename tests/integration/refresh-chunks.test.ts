/**
 * A refresh longer than one chunk (2,500 end-users): each chunk's read is queued ahead of the write
 * before it, so what it compares and reports must still be exact, and a write that fails part-way
 * must undo every chunk and be the error reported. Lists are dated in 2000, so the rows other
 * tests cache now are neither flagged nor written; the rows these tests cache are removed after.
 */
import { afterAll, describe, expect, it } from "vitest";
import { syncCacheWithUpstream } from "@/lib/data/end-user-sync";
import type { UpstreamEndUser } from "@/lib/model/end-user";
import { h } from "../support/harness";

const LISTED_AT = new Date("2000-01-02T00:00:00.000Z");
const prefixes: string[] = [];

function upstreamList(prefix: string, total: number): UpstreamEndUser[] {
  return Array.from({ length: total }, (_, i) => ({
    id: `${prefix}${String(i).padStart(5, "0")}`,
    sourceId: `${prefix}-source-${i}`,
    companyName: `Chunked ${i}`,
    email: `chunked${i}@chunks.test`,
    createdAt: new Date(Date.UTC(1999, 0, 1) + i * 60_000),
    integrationConnections:
      i % 2 === 0
        ? [
            {
              id: `int_conn_${prefix}${i}`,
              integrationSlug: "quickbooks_desktop" as const,
              createdAt: new Date(Date.UTC(1999, 0, 1) + i * 60_000),
              lastRequestAt: null,
              lastSuccessfulRequestAt: null,
            },
          ]
        : [],
  }));
}

function newPrefix(label: string) {
  const prefix = `end_usr_${label}${Date.now()}_`;
  prefixes.push(prefix);
  return prefix;
}

const rowsLike = (prefix: string) => h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "id" LIKE $1 || '%'`, [prefix]);
const versionsOf = (prefix: string) =>
  h.sql<{ id: string; xmin: string }>(
    `SELECT "id", xmin::text FROM "ConductorEndUser" WHERE "id" LIKE $1 || '%' ORDER BY "id"`,
    [prefix],
  );

afterAll(async () => {
  for (const prefix of prefixes) await h.sql(`DELETE FROM "ConductorEndUser" WHERE "id" LIKE $1 || '%'`, [prefix]);
});

describe("a refresh of more end-users than one chunk", () => {
  // First in the file: node-postgres warns once per process.
  it("sends its statements one after another: node-postgres never warns of a query queued on a busy client", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const report = await syncCacheWithUpstream(
        upstreamList(newPrefix("queued"), 6_000),
        LISTED_AT,
        "ops@example.test",
      );
      expect(report.added).toBe(6_000);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((message) => message.includes("already executing a query"))).toEqual([]);
  });

  it("caches each end-user once and counts each in its report, and a second run compares every chunk and writes nothing", async () => {
    const prefix = newPrefix("chunks");
    const list = upstreamList(prefix, 6_000);
    // Cached already under an older name: in the second chunk, and in the last.
    const renamed = [2_600, 2_601, 2_602, 5_100, 5_101].map((i) => list[i]!);
    for (const endUser of renamed)
      await h.sql(
        `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
         VALUES ($1, $2, 'Old Name', $3, $4, '2000-01-01')`,
        [endUser.id, endUser.sourceId, endUser.email, endUser.createdAt],
      );

    const first = await syncCacheWithUpstream(list, LISTED_AT, "ops@example.test");
    expect(first).toMatchObject({ upstream: 6_000, added: 5_995, updated: 5, unchanged: 0 });
    expect(await rowsLike(prefix)).toBe(6_000);
    expect(await h.count(`SELECT 1 FROM "IntegrationConnection" WHERE "endUserId" LIKE $1 || '%'`, [prefix])).toBe(
      3_000,
    );
    expect(
      await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "id" LIKE $1 || '%' AND "companyName" = 'Old Name'`, [
        prefix,
      ]),
    ).toBe(0);
    expect(
      await h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" LIKE $1 || '%' AND "action" = 'END_USER_CACHED'`, [
        prefix,
      ]),
    ).toBe(5_995);
    expect(
      await h.count(
        `SELECT 1 FROM "AuditEvent" WHERE "endUserId" LIKE $1 || '%' AND "action" = 'END_USER_CHANGED_UPSTREAM'`,
        [prefix],
      ),
    ).toBe(5);

    const before = await versionsOf(prefix);
    const second = await syncCacheWithUpstream(list, LISTED_AT, "ops@example.test");
    expect(second).toMatchObject({ upstream: 6_000, added: 0, updated: 0, unchanged: 6_000 });
    expect(await versionsOf(prefix)).toEqual(before);
  });

  it("caches an id Conductor lists twice (whatever its sourceId) once, as its first entry says, and counts the other as a duplicate", async () => {
    const prefix = newPrefix("twice");
    const list = upstreamList(prefix, 3_000);
    // The second entry lands in the next chunk, whose read is queued before the first chunk's write.
    const again = { ...list[10]!, sourceId: `${prefix}-elsewhere`, companyName: "Listed Again" };
    const report = await syncCacheWithUpstream([...list, again], LISTED_AT, "ops@example.test");
    expect(report).toMatchObject({ upstream: 3_001, added: 3_000, duplicates: 1 });
    expect(await h.sql(`SELECT "companyName" FROM "ConductorEndUser" WHERE "id" = $1`, [list[10]!.id])).toEqual([
      { companyName: "Chunked 10" },
    ]);
  });

  it("writes nothing when one chunk's write fails, and reports that write's error rather than the statements refused after it", async () => {
    const prefix = newPrefix("refused");
    const list = upstreamList(prefix, 10_000);
    const refused = list[3_000]!.id; // in the second of four chunks
    const trigger = `refuse_${Date.now()}`;
    await h.sql(
      `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW."id" = '${refused}' THEN RAISE EXCEPTION 'refused %', NEW."id"; END IF; RETURN NEW; END $$`,
    );
    await h.sql(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON "ConductorEndUser" FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
    );
    try {
      const failure = await syncCacheWithUpstream(list, LISTED_AT, "ops@example.test").then(
        () => null,
        (error: Error) => error,
      );
      expect(failure?.message).toBe(`refused ${refused}`);
      expect(await rowsLike(prefix)).toBe(0);
      expect(await h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" LIKE $1 || '%'`, [prefix])).toBe(0);
    } finally {
      await h.sql(`DROP TRIGGER ${trigger} ON "ConductorEndUser"`);
      await h.sql(`DROP FUNCTION ${trigger}()`);
    }
    // The connection went back to the pool usable: the next refresh runs on it.
    const report = await syncCacheWithUpstream(list.slice(0, 10), LISTED_AT, "ops@example.test");
    expect(report.added).toBe(10);
  });
});
