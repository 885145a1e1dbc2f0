import "server-only";
import Redis from "ioredis";
import type { Reservation } from "@/lib/data/rate-limit";
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
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    redis.defineCommand("reserveWindows", { lua: RESERVE });
    return redis as WithReserve;
  });
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
