/**
 * The cache's counts per connection status, live and offboarded apart, without scanning it:
 * triggers append a delta row for every statement that moves a count (see the EndUserCountDelta
 * model), so the counts are the sums of a few rows. Past FOLD_AFTER rows they are folded into one
 * row per status: deleting and re-adding them in one statement, so deltas appended meanwhile by
 * other transactions stay and count.
 */
import "server-only";
import { db } from "@/lib/db/client";
import type { ConnectionStatus } from "@/lib/model/connection";

const FOLD_AFTER = 1_000;

type Sum = { connectionStatus: ConnectionStatus; offboarded: boolean; n: number; rows: number };

async function fold(): Promise<void> {
  await (
    await db()
  ).$executeRaw`
    WITH folded AS (DELETE FROM "EndUserCountDelta" RETURNING "connectionStatus", "offboarded", "delta")
    INSERT INTO "EndUserCountDelta" ("connectionStatus", "offboarded", "delta")
    SELECT "connectionStatus", "offboarded", sum("delta") FROM folded
    GROUP BY "connectionStatus", "offboarded" HAVING sum("delta") <> 0`;
}

/** Cached end-users per status and whether offboarded (statuses with none are left out). */
export async function cachedCountsByStatus(): Promise<Omit<Sum, "rows">[]> {
  const sums = await (
    await db()
  ).$queryRaw<Sum[]>`
    SELECT "connectionStatus", "offboarded", sum("delta")::int AS "n", count(*)::int AS "rows"
    FROM "EndUserCountDelta" GROUP BY "connectionStatus", "offboarded"`;
  if (sums.reduce((total, sum) => total + sum.rows, 0) > FOLD_AFTER) await fold();
  return sums.map(({ rows: _rows, ...sum }) => sum);
}
