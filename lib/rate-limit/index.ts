/**
 * Fixed one-minute windows that hold across instances, counted in Postgres (or Redis with
 * REDIS_URL). An instance does not write every hit: it reserves a slice of a key's budget from the
 * shared store and spends it locally. The store counts what was handed out, so all instances
 * together never admit more than the limit. A slice starts at 1 (exact) and doubles only while an
 * instance spends its slices within a second, up to a twentieth of the limit, so a quiet instance
 * strands at most one request of budget and a busy one writes the store rarely.
 */
import "server-only";
import { reserveRateWindows, type Reservation } from "@/lib/data/rate-limit";
import { env } from "@/lib/env";
import { reserveRedisWindows } from "./redis";

export type RateDecision = { allowed: boolean; limit: number; remaining: number; retryAfterSeconds: number };

const WINDOW_MS = 60_000;
const FAST_MS = 1_000;

type Lease = { remaining: number; slice: number; grantedAt: number; expiresAt: number; handedOut: number };

const globalForLeases = globalThis as unknown as { rateLeases?: Map<string, Lease> };
const leases = (globalForLeases.rateLeases ??= new Map());

function reserve(entries: { key: string; amount: number }[]): Promise<Reservation[]> {
  return env.REDIS_URL ? reserveRedisWindows(env.REDIS_URL, entries, WINDOW_MS) : reserveRateWindows(entries, WINDOW_MS);
}

function nextSlice(previous: Lease | undefined, now: number, limit: number): number {
  const busy = previous && previous.expiresAt > now && now - previous.grantedAt < FAST_MS;
  return busy ? Math.min(previous.slice * 2, Math.max(1, Math.floor(limit / 20))) : 1;
}

const available = (lease: Lease | undefined, now: number) => (lease && lease.expiresAt > now ? lease.remaining : 0);

/** Reserves slices for `keys`; false when the store has no budget left for one of them. */
async function replenish(keys: string[], now: number, limit: number): Promise<boolean> {
  const wanted = keys.map((key) => ({ key, amount: nextSlice(leases.get(key), now, limit) }));
  let everyKeyGranted = true;
  for (const [i, reservation] of (await reserve(wanted)).entries()) {
    const slice = wanted[i]!.amount;
    const granted = Math.max(0, Math.min(slice, limit - (reservation.count - slice)));
    if (granted === 0) everyKeyGranted = false;
    const expiresAt = reservation.windowStart.getTime() + WINDOW_MS;
    const current = leases.get(reservation.key);
    const sameWindow = current?.expiresAt === expiresAt;
    // Concurrent requests may each have reserved: their grants add up in one lease.
    leases.set(reservation.key, {
      remaining: (sameWindow ? current.remaining : 0) + granted,
      slice,
      grantedAt: now,
      expiresAt,
      handedOut: Math.max(reservation.count, sameWindow ? current.handedOut : 0),
    });
  }
  if (leases.size > 10_000) for (const [key, lease] of leases) if (lease.expiresAt <= now) leases.delete(key);
  return everyKeyGranted;
}

/** Spends one unit of each key's budget; allowed only if every key had one left. */
export async function hit(keys: string[], limit = env.LOOKUP_RATE_LIMIT_PER_MINUTE): Promise<RateDecision> {
  const now = Date.now();
  // While this request waits for the store, others may drain a lease it saw full: look again.
  for (let round = 0; round < 3; round++) {
    const empty = keys.filter((key) => available(leases.get(key), now) === 0);
    if (empty.length === 0 || !(await replenish(empty, now, limit))) break;
  }
  const held = keys.map((key) => leases.get(key)!);
  const allowed = held.every((lease) => available(lease, now) > 0);
  if (allowed) for (const lease of held) lease.remaining--;
  const expiresAt = Math.min(...held.map((lease) => lease.expiresAt));
  return {
    allowed,
    limit,
    remaining: Math.max(0, Math.min(...held.map((lease) => limit - lease.handedOut + lease.remaining))),
    retryAfterSeconds: Math.max(1, Math.ceil((expiresAt - now) / 1000)),
  };
}
