/**
 * Fixed-window counters shared by every instance through Postgres. Windows are computed from the
 * database's clock, so instances with skewed clocks still agree.
 */
import "server-only";
import { db } from "@/lib/db/client";

export type WindowCount = { key: string; count: number; windowStart: Date };

/** Counts one hit on each key; returns each key's count in the current window. */
export async function hitRateWindows(keys: string[], windowMs: number): Promise<WindowCount[]> {
  return (await db()).$queryRaw<WindowCount[]>`
    INSERT INTO "RateLimitWindow" ("key", "windowStart", "count")
    SELECT k, to_timestamp(floor(extract(epoch FROM timezone('UTC', now())) * 1000 / ${windowMs}) * ${windowMs} / 1000.0) AT TIME ZONE 'UTC', 1
    FROM unnest(${keys}::text[]) AS k
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitWindow"."windowStart" = EXCLUDED."windowStart" THEN "RateLimitWindow"."count" + 1 ELSE 1 END,
      "windowStart" = EXCLUDED."windowStart"
    RETURNING "key", "count", "windowStart"`;
}

/** Forgets windows older than a day (one row per key is kept between hits). */
export async function pruneRateWindows(): Promise<number> {
  return (await db()).$executeRaw`DELETE FROM "RateLimitWindow" WHERE "windowStart" < timezone('UTC', now()) - interval '1 day'`;
}
