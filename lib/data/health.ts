import "server-only";
import { db } from "@/lib/db/client";

/** Whether the database answers a trivial query (and, embedded, has started). */
export async function pingDatabase(): Promise<boolean> {
  try {
    await (
      await db()
    ).$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
