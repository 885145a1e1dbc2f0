/**
 * Steady concurrent traffic on one key writes the shared store about once a slice, not once a
 * request: requests that find a slice reservation in flight wait for it instead of each
 * reserving a unit of their own (which kept a reservation always in flight, so slices never grew).
 * The windows live in an unlogged table.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hit } from "@/lib/web/rate-limit";
import { h } from "../support/harness";

const KEY = `lookup:slices-${randomBytes(6).toString("hex")}`;
const WORKERS = 10;
const HITS_EACH = 200;

beforeAll(async () => {
  await h.sql(`CREATE TABLE "RateLimitWrites" ("n" int NOT NULL)`);
  await h.sql(`INSERT INTO "RateLimitWrites" VALUES (0)`);
  await h.sql(`CREATE FUNCTION count_rate_limit_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN UPDATE "RateLimitWrites" SET "n" = "n" + 1; RETURN NULL; END $$`);
  await h.sql(`CREATE TRIGGER count_rate_limit_writes AFTER INSERT OR UPDATE ON "RateLimitWindow"
    FOR EACH ROW WHEN (NEW."key" = '${KEY}') EXECUTE FUNCTION count_rate_limit_write()`);
});

afterAll(async () => {
  await h.sql(`DROP TRIGGER count_rate_limit_writes ON "RateLimitWindow"`);
  await h.sql(`DROP FUNCTION count_rate_limit_write()`);
  await h.sql(`DROP TABLE "RateLimitWrites"`);
});

describe("rate-limit slices under steady concurrent load", () => {
  it("admit every request within the budget while writing the store for fewer than one in twenty", async () => {
    const decisions = await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        const allowed: boolean[] = [];
        for (let i = 0; i < HITS_EACH; i++) allowed.push((await hit([KEY], 1_000_000, 60_000)).allowed);
        return allowed;
      }),
    );
    expect(decisions.flat().every(Boolean)).toBe(true);
    const [writes] = await h.sql<{ n: number }>(`SELECT "n" FROM "RateLimitWrites"`);
    const n = writes!.n;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan((WORKERS * HITS_EACH) / 20);
  });

  it("are counted in an unlogged table: a reservation's commit waits for no WAL flush", async () => {
    const [table] = await h.sql<{ relpersistence: string }>(
      `SELECT relpersistence FROM pg_class WHERE oid = '"RateLimitWindow"'::regclass`,
    );
    expect(table!.relpersistence).toBe("u");
  });
});
