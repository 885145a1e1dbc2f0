/**
 * Fixed-window budgets shared by every instance through Postgres: each row holds how much of a
 * key's budget has been handed out in its current window. Windows are cut by the database's clock.
 */
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import { runPrepared } from "./prepared";

/** `count`: handed out in the window starting at `windowStart`; `storeNow`: the database's clock then. */
export type Reservation = { key: string; count: number; windowStart: Date; storeNow: Date; applied: boolean };

/**
 * Hands out `amount` more of each key's budget. A statement that started just before a window
 * boundary but runs after another one moved the row to the next window adds nothing
 * (`applied: false`): a row never goes back to an older window, so no count is forgotten.
 */
export async function reserveRateWindows(
  entries: { key: string; amount: number }[],
  windowMs: number,
): Promise<Reservation[]> {
  return runPrepared<Reservation>(Prisma.sql`
    WITH clock AS (
      SELECT timezone('UTC', now())::timestamp(3) AS "storeNow",
             (to_timestamp(floor(extract(epoch FROM now()) * 1000 / ${windowMs}) * ${windowMs} / 1000.0) AT TIME ZONE 'UTC')::timestamp(3) AS "windowStart"
    )
    INSERT INTO "RateLimitWindow" AS r ("key", "windowStart", "count")
    SELECT k, clock."windowStart", n
    FROM unnest(${entries.map((e) => e.key)}::text[], ${entries.map((e) => e.amount)}::int[]) AS t(k, n), clock
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN EXCLUDED."windowStart" > r."windowStart" THEN EXCLUDED."count"
                     WHEN EXCLUDED."windowStart" = r."windowStart" THEN r."count" + EXCLUDED."count"
                     ELSE r."count" END,
      "windowStart" = GREATEST(r."windowStart", EXCLUDED."windowStart")
    RETURNING r."key", r."count", r."windowStart", (SELECT "storeNow" FROM clock) AS "storeNow",
              r."windowStart" = (SELECT "windowStart" FROM clock) AS "applied"`);
}

/** Forgets windows older than a day (one row per key is kept between windows). */
export async function pruneRateWindows(): Promise<number> {
  return (await db())
    .$executeRaw`DELETE FROM "RateLimitWindow" WHERE "windowStart" < timezone('UTC', now()) - interval '1 day'`;
}
