import "server-only";
import Redis from "ioredis";
import type { Reservation } from "./rate-limit";
import { singleton } from "@/lib/platform/singleton";

type WithReserve = Redis & { reserveWindows: (...args: (string | number)[]) => Promise<number[]> };

// One round trip: Redis's clock picks the window, each key's counter grows by its amount and
// expires after the window.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local start = now - (now % window)
local result = { start, now }
for i, key in ipairs(KEYS) do
  local k = key .. ':' .. start
  result[i + 2] = redis.call('INCRBY', k, tonumber(ARGV[i + 1]))
  redis.call('PEXPIRE', k, window * 2)
end
return result`;

function client(url: string): WithReserve {
  return singleton("rateLimit.redis", () => {
    // A command fails within a second when Redis is down or stalls, and the limiter falls back
    // to per-instance limits; ioredis keeps reconnecting meanwhile.
    const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1_000, connectTimeout: 1_000 });
    // Outages are logged once by the limiter; ioredis would otherwise print every reconnect attempt.
    redis.on("error", () => {});
    redis.defineCommand("reserveWindows", { lua: RESERVE });
    return redis as WithReserve;
  });
}

/** Whether Redis answers a PING within a second. */
export async function pingRedis(url: string): Promise<boolean> {
  try {
    return (await client(url).ping()) === "PONG";
  } catch {
    return false;
  }
}

export async function reserveRedisWindows(
  url: string,
  entries: { key: string; amount: number }[],
  windowMs: number,
): Promise<Reservation[]> {
  const keys = entries.map((e) => `ratelimit:${e.key}`);
  const [start, now, ...counts] = await client(url).reserveWindows(
    keys.length,
    ...keys,
    windowMs,
    ...entries.map((e) => e.amount),
  );
  return entries.map((entry, i) => ({
    key: entry.key,
    count: Number(counts[i]),
    windowStart: new Date(Number(start)),
    storeNow: new Date(Number(now)),
    applied: true,
  }));
}
