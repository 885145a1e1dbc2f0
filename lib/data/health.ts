import "server-only";
import { db } from "@/lib/db/client";

export async function pingDatabase(): Promise<boolean> {
  try {
    await (await db()).$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
