/**
 * Lookups that start together (a backend asking about many customers at once) share one
 * statement per kind of key, and each caller still gets exactly the end-user its key names: a
 * live one before the tombstones of its sourceId, a linked Altur or Dify id's, or none.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { findMapping } from "@/lib/data/lookup";
import { pgPool } from "@/lib/db/client";
import type { LinkedProvider } from "@/lib/model/providers";
import { h } from "../support/harness";

const tag = `batch${Date.now()}`;
const ids = { live: `end_usr_${tag}live`, tombstone: `end_usr_${tag}tomb`, gone: `end_usr_${tag}gone` };
const source = (name: string) => `${tag}-${name}`;

async function cache(id: string, sourceId: string, companyName: string, deletedAt: string | null) {
  await h.sql(
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "deletedAt")
     VALUES ($1, $2, $3, 'batch@batch.test', now(), now(), $4::timestamp(3))`,
    [id, sourceId, companyName, deletedAt],
  );
}

beforeAll(async () => {
  // "shared": a live end-user and an earlier tombstone; "left": only a tombstone.
  await cache(ids.tombstone, source("shared"), "Earlier Co", "2026-01-01T00:00:00Z");
  await cache(ids.live, source("shared"), "Live Co", null);
  await cache(ids.gone, source("left"), "Gone Co", "2026-02-01T00:00:00Z");
  await h.sql(
    `INSERT INTO "ProviderEndUser" ("provider", "externalId", "endUserId", "fetchedAt", "linkedBy")
     VALUES ('altur', $1, $2, now(), 'test'), ('dify', $3, $2, now(), 'test')`,
    [`${tag}-altur:with-colon`, ids.live, `${tag}-dify`],
  );
});

afterAll(async () => {
  await h.sql(`DELETE FROM "ConductorEndUser" WHERE "id" = ANY($1::text[])`, [Object.values(ids)]);
});

afterEach(() => vi.restoreAllMocks());

const isLookup = (config: unknown) => (config as { name?: string }).name?.startsWith("lookup_by_") ?? false;

/** Counts the lookup statements sent to the pool, each still run. */
async function countLookupStatements() {
  const query = vi.spyOn(await pgPool(), "query");
  return () => query.mock.calls.filter(([config]) => isLookup(config)).length;
}

describe("lookups that start together", () => {
  it("share one statement per kind of key, each caller answered with the end-user its own key names", async () => {
    const statements = await countLookupStatements();
    const answers = await Promise.all([
      findMapping({ sourceId: source("shared") }),
      findMapping({ sourceId: source("left") }),
      findMapping({ sourceId: source("nobody") }),
      findMapping({ sourceId: source("shared") }),
      findMapping({ id: ids.tombstone }),
      findMapping({ id: `end_usr_${tag}unknown` }),
      findMapping({ provider: "altur", externalId: `${tag}-altur:with-colon` }),
      findMapping({ provider: "dify", externalId: `${tag}-dify` }),
      findMapping({ provider: "dify", externalId: `${tag}-altur:with-colon` }),
    ]);
    expect(answers.map((a) => a && [a.id, a.companyName, a.deletedAt !== null])).toEqual([
      [ids.live, "Live Co", false],
      [ids.gone, "Gone Co", true],
      null,
      [ids.live, "Live Co", false],
      [ids.tombstone, "Earlier Co", true],
      null,
      [ids.live, "Live Co", false],
      [ids.live, "Live Co", false],
      null,
    ]);
    expect(answers[6]!.linkedProviders).toEqual({ altur: `${tag}-altur:with-colon`, dify: `${tag}-dify` });
    expect(statements()).toBe(3);
  });

  it("each get the database's error when their shared statement fails, and the next lookups are answered again", async () => {
    const pool = await pgPool();
    const run = pool.query.bind(pool) as (config: unknown) => Promise<unknown>;
    let failures = 0;
    vi.spyOn(pool, "query").mockImplementation(((config: unknown) =>
      isLookup(config) && failures++ === 0
        ? Promise.reject(Object.assign(new Error("terminating connection"), { code: "57P01" }))
        : run(config)) as typeof pool.query);
    const failed = await Promise.allSettled([
      findMapping({ sourceId: source("shared") }),
      findMapping({ sourceId: source("left") }),
    ]);
    expect(failed.map((r) => r.status === "rejected" && (r.reason as Error).message)).toEqual([
      "terminating connection",
      "terminating connection",
    ]);
    expect((await findMapping({ sourceId: source("shared") }))?.id).toBe(ids.live);
  });

  it("answer none for a key no row can hold, alone, and the other lookups of the batch as before", async () => {
    const answers = await Promise.all([
      findMapping({ sourceId: `${source("shared")}\u0000` }),
      findMapping({ sourceId: source("shared") }),
      findMapping({ provider: "Altur" as LinkedProvider, externalId: `${tag}-altur:with-colon` }),
      findMapping({ provider: "dify", externalId: `${tag}-dify` }),
      findMapping({ id: undefined as unknown as string }),
      findMapping({ id: ids.gone }),
    ]);
    expect(answers.map((a) => a?.id ?? null)).toEqual([null, ids.live, null, ids.live, null, ids.gone]);
  });

  it("give each caller Dates of its own: one caller changing its answer changes no other caller's", async () => {
    const [first, second] = await Promise.all([
      findMapping({ sourceId: source("left") }),
      findMapping({ sourceId: source("left") }),
    ]);
    expect(second).toEqual(first);
    const dates = (answer: typeof first) => [answer!.createdAt, answer!.syncedAt, answer!.deletedAt!];
    const unchanged = dates(second).map((date) => date.getTime());
    for (const date of dates(first)) date.setTime(0);
    expect(dates(second).map((date) => date.getTime())).toEqual(unchanged);
    expect(dates((await findMapping({ sourceId: source("left") }))!).map((date) => date.getTime())).toEqual(unchanged);
  });
});
