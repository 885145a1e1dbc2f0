import "server-only";
import { db } from "@/lib/db/client";

/**
 * The database's clock. Times that different instances compare (when a POST started, when a list
 * was requested, lease expiries) all come from here, so skewed instance clocks cannot shorten a
 * safety window.
 */
export async function databaseNow(): Promise<Date> {
  const [row] = await (await db()).$queryRaw<{ now: Date }[]>`SELECT timezone('UTC', now())::timestamp(3) AS "now"`;
  return row!.now;
}
