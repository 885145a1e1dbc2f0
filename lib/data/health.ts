import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/platform/env";
import { log } from "@/lib/platform/log";
import { singleton } from "@/lib/platform/singleton";
import { pingRedis } from "./rate-limit-redis";

/** A failing probe logs why at once, then again only when the reason changes or a minute passed: anyone may poll it. */
const REPEAT_LOG_MS = 60_000;
const lastFailure = () => singleton("data.databasePingFailure", () => ({ message: "", at: 0 }));

function logFailure(error: unknown, now = Date.now()): void {
  const message = error instanceof Error ? error.message : String(error);
  const last = lastFailure();
  if (message === last.message && now - last.at < REPEAT_LOG_MS) return;
  Object.assign(last, { message, at: now });
  log.error("database.unavailable", { where: "ping", name: error instanceof Error ? error.name : null, message });
}

/** Whether the database answers a trivial query (and, embedded, has started); why not goes to the log. */
export async function pingDatabase(): Promise<boolean> {
  try {
    await (
      await db()
    ).$queryRaw`SELECT 1`;
    lastFailure().message = "";
    return true;
  } catch (error) {
    logFailure(error);
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
