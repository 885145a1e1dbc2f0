/**
 * Fixed-window rate limiting that holds across instances: Postgres by default, Redis when
 * REDIS_URL is set.
 */
import "server-only";
import { hitRateWindows } from "@/lib/data/rate-limit";
import { env } from "@/lib/env";
import { redisHits } from "./redis";

export type RateDecision = { allowed: boolean; limit: number; remaining: number; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

export async function hit(keys: string[], limit = env.LOOKUP_RATE_LIMIT_PER_MINUTE): Promise<RateDecision> {
  const counts = env.REDIS_URL ? await redisHits(env.REDIS_URL, keys, WINDOW_MS) : await hitRateWindows(keys, WINDOW_MS);
  const highest = Math.max(0, ...counts.map((c) => c.count));
  const windowStart = counts[0]?.windowStart.getTime() ?? Date.now();
  return {
    allowed: highest <= limit,
    limit,
    remaining: Math.max(0, limit - highest),
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart + WINDOW_MS - Date.now()) / 1000)),
  };
}
