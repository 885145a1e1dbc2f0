/**
 * Fixed-window budgets shared by every instance through Postgres: each row holds how much of a
 * key's budget has been handed out in the current window. Windows come from the database's
 * clock, so instances with skewed clocks still agree.
 */
import "server-only";
import { db } from "@/lib/db/client";

export type Reservation = { key: string; count: number; windowStart: Date };

/** Hands out `amount` more of each key's budget; returns each key's total handed out this window. */
export async function reserveRateWindows(entries: { key: string; amount: number }[], windowMs: number): Promise<Reservation[]> {
  return (await db()).$queryRaw<Reservation[]>`
    INSERT INTO "RateLimitWindow" ("key", "windowStart", "count")
    SELECT k, to_timestamp(floor(extract(epoch FROM now()) * 1000 / ${windowMs}) * ${windowMs} / 1000.0) AT TIME ZONE 'UTC', n
    FROM unnest(${entries.map((e) => e.key)}::text[], ${entries.map((e) => e.amount)}::int[]) AS t(k, n)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitWindow"."windowStart" = EXCLUDED."windowStart" THEN "RateLimitWindow"."count" + EXCLUDED."count" ELSE EXCLUDED."count" END,
      "windowStart" = EXCLUDED."windowStart"
    RETURNING "key", "count", "windowStart"`;
}

/** Forgets windows older than a day (one row per key is kept between windows). */
export async function pruneRateWindows(): Promise<number> {
  return (await db()).$executeRaw`DELETE FROM "RateLimitWindow" WHERE "windowStart" < timezone('UTC', now()) - interval '1 day'`;
}
