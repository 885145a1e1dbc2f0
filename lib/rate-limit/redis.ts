import "server-only";
import Redis from "ioredis";
import type { WindowCount } from "@/lib/data/rate-limit";

const globalForRedis = globalThis as unknown as { rateLimitRedis?: Redis };

function client(url: string): Redis {
  globalForRedis.rateLimitRedis ??= new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false });
  return globalForRedis.rateLimitRedis;
}

/** Counts one hit per key in the current window (keyed by window start, expiring with it). */
export async function redisHits(url: string, keys: string[], windowMs: number): Promise<WindowCount[]> {
  const redis = client(url);
  const [seconds, micros] = await redis.time();
  const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const windowStart = Math.floor(nowMs / windowMs) * windowMs;
  const pipeline = redis.multi();
  for (const key of keys) {
    const windowKey = `ratelimit:${key}:${windowStart}`;
    pipeline.incr(windowKey).pexpire(windowKey, windowMs * 2);
  }
  const results = (await pipeline.exec()) ?? [];
  return keys.map((key, i) => {
    const [error, count] = results[i * 2] ?? [null, 0];
    if (error) throw error;
    return { key, count: Number(count), windowStart: new Date(windowStart) };
  });
}
