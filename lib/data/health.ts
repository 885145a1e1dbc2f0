import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/platform/env";
import { pingRedis } from "./rate-limit-redis";

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

/** Where the rate limiter keeps its shared counters, and whether that store answers (Postgres: the database's answer). */
export async function pingRateLimitStore(
  database: boolean,
): Promise<{ store: "postgres" | "redis"; answers: boolean }> {
  if (!env.REDIS_URL) return { store: "postgres", answers: database };
  return { store: "redis", answers: await pingRedis(env.REDIS_URL) };
}
