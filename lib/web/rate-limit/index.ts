/**
 * Fixed windows (a minute, or an hour) that hold across instances, counted in Postgres (or Redis with
 * REDIS_URL). An instance does not write every hit: it reserves a slice of a key's budget from the
 * shared store and spends it locally. The store counts what was handed out, so all instances
 * together never admit more than the limit. A slice starts at 1 (exact), doubles while an instance
 * spends its slices within a second, stays while it spends them within two, and never exceeds a
 * tenth of the budget still unreserved: budget is left unspent only in the last slice of an
 * instance whose traffic stops.
 * Windows follow the store's clock; each instance converts them to its own clock when it reserves.
 * When the store fails, each instance limits on its own until it answers again (outage.ts).
 */
import "server-only";
import { createHash } from "node:crypto";
import { reserveRateWindows, type Reservation } from "@/lib/data/rate-limit";
import { AppError } from "@/lib/platform/errors/app-error";
import { env } from "@/lib/platform/env";
import { singleton } from "@/lib/platform/singleton";
import { giveBackLocally, hitLocally, mayAskStore, storeAnswered, storeFailed } from "./outage";
import { reserveRedisWindows } from "@/lib/data/rate-limit-redis";
import type { RateDecision } from "./decision";

export type { RateDecision };

const WINDOW_MS = 60_000;
const FAST_MS = 1_000;

type Lease = {
  remaining: number;
  slice: number;
  grantedAt: number;
  /** The window (store clock) and when it ends by this instance's clock. */
  windowStart: number;
  endsAt: number;
  handedOut: number;
};

const leases = singleton("rateLimit.leases", () => new Map<string, Lease>());
/** The slice reservation in flight for each key, which concurrent requests wait for. */
const leading = singleton("rateLimit.leading", () => new Map<string, Promise<unknown>>());

/** How many of something a scope allows, per minute or per hour; `spent` says whose budget ran out, for the refusal. */
export type Budget = { scope: string; spent?: string } & ({ perMinute: number } | { perHour: number });

/** The refusal once a budget is spent: whose it was, when to come back. */
export function budgetSpent(budget: Budget, retryAfterSeconds: number, now = Date.now()): AppError {
  const wait = retryAfterSeconds > 90 ? `${Math.ceil(retryAfterSeconds / 60)} min` : `${retryAfterSeconds} s`;
  // The clock time stays true on a page left open; "Wait 42 s" does not.
  const until = new Date(now + retryAfterSeconds * 1_000).toISOString().slice(11, 19);
  const message = `${budget.spent ?? "Too many attempts."} Wait ${wait} (until ${until} UTC) and try again.`;
  return new AppError("rate_limited", message, { retryAfterSeconds });
}

export function windowOf(budget: Budget): { limit: number; windowMs: number } {
  return "perHour" in budget
    ? { limit: budget.perHour, windowMs: 60 * WINDOW_MS }
    : { limit: budget.perMinute, windowMs: WINDOW_MS };
}

function reserve(entries: { key: string; amount: number }[], windowMs: number): Promise<Reservation[]> {
  return env.REDIS_URL ? reserveRedisWindows(env.REDIS_URL, entries, windowMs) : reserveRateWindows(entries, windowMs);
}

const current = (lease: Lease | undefined, now: number) => (lease && lease.endsAt > now ? lease : undefined);

/**
 * Doubles a slice the instance spent within a second and keeps one it spent within two, so steady
 * traffic writes the store about once a slice; traffic slower than that starts again from 1.
 */
function nextSlice(previous: Lease | undefined, now: number, limit: number): number {
  const live = current(previous, now);
  const elapsed = live ? now - live.grantedAt : Infinity;
  const slice = elapsed < FAST_MS ? live!.slice * 2 : elapsed < 2 * FAST_MS ? live!.slice : 1;
  return Math.min(slice, Math.max(1, Math.floor((limit - (live?.handedOut ?? 0)) / 10)));
}

/**
 * Reserves slices for `keys` and keeps one unit of each grant for the caller (the rest goes to
 * the instance's lease for others): a request that reserved is never outrun by the requests that
 * spend the lease while it waited. Answers the keys it secured a unit of, and whether the store
 * still had budget for every key.
 */
async function replenish(
  keys: string[],
  now: number,
  limit: number,
  windowMs: number,
): Promise<{ secured: string[]; budgetLeft: boolean }> {
  // A request that finds a slice reservation in flight for a key waited for it first (hitShared);
  // if that slice did not cover it, it reserves a single unit, which it keeps: a burst that finds
  // the lease empty must not reserve a slice per request (most of that budget would sit unspent in
  // the lease when the burst ends).
  const wanted = keys.map((key) => {
    const leader = !leading.has(key);
    return { key, leader, amount: leader ? nextSlice(leases.get(key), now, limit) : 1 };
  });
  const reservation = reserve(wanted, windowMs);
  for (const { key, leader } of wanted) if (leader) leading.set(key, reservation);
  let reservations: Reservation[];
  try {
    reservations = await reservation;
  } finally {
    for (const { key, leader } of wanted) if (leader && leading.get(key) === reservation) leading.delete(key);
  }
  const secured: string[] = [];
  let budgetLeft = true;
  for (const [i, reservation] of reservations.entries()) {
    const { amount: slice, leader } = wanted[i]!;
    // Not applied: the store moved to the next window meanwhile; the next round reserves there.
    const granted = reservation.applied ? Math.max(0, Math.min(slice, limit - (reservation.count - slice))) : 0;
    if (reservation.applied && granted === 0) budgetLeft = false;
    if (granted > 0) secured.push(reservation.key);
    const windowStart = reservation.windowStart.getTime();
    const previous = leases.get(reservation.key);
    const sameWindow = previous?.windowStart === windowStart;
    // Concurrent requests may each have reserved: what they did not keep adds up in one lease,
    // whose slice and pace only the leading reservation sets.
    const follower = !leader && sameWindow;
    leases.set(reservation.key, {
      remaining: (sameWindow ? previous.remaining : 0) + Math.max(0, granted - 1),
      slice: follower ? previous.slice : slice,
      grantedAt: follower ? previous.grantedAt : now,
      windowStart,
      endsAt: now + (windowStart + windowMs - reservation.storeNow.getTime()),
      handedOut: Math.max(reservation.count, sameWindow ? previous.handedOut : 0),
    });
  }
  if (leases.size > 10_000) for (const [key, lease] of leases) if (lease.endsAt <= now) leases.delete(key);
  return { secured, budgetLeft };
}

/** Takes a unit from each lease that has one; the keys it took from. */
function takeFromLeases(keys: string[], now: number): string[] {
  return keys.filter((key) => {
    const lease = current(leases.get(key), now);
    if (!lease || lease.remaining === 0) return false;
    lease.remaining--;
    return true;
  });
}

/**
 * A key as the store keeps it: one longer than any the app makes (scope, kind and an id or a
 * digest) by its digest, so no key, whatever a caller put in it, can fail the store's index.
 */
const storable = (key: string) =>
  key.length <= 200 ? key : `digest:${createHash("sha256").update(key).digest("base64url")}`;

/** Spends one unit of each key's budget of `limit` a window; allowed only if every key had one left. */
export async function hit(keys: string[], limit: number, windowMs: number): Promise<RateDecision> {
  keys = keys.map(storable);
  const now = Date.now();
  if (!mayAskStore(now)) return hitLocally(keys, limit, windowMs, now);
  try {
    const decision = await hitShared(keys, limit, windowMs, now);
    storeAnswered(Date.now());
    return decision;
  } catch (error) {
    storeFailed(error, Date.now());
    return hitLocally(keys, limit, windowMs, now);
  }
}

/**
 * Gives back a unit `hit` took for each key, for a request whose work failed on our side or an
 * upstream's before doing what the budget counts (no email sent, no answer from Conductor). The
 * store counted it as handed to this instance, so it goes back to this instance's lease (or to its
 * own count, while the store is down): all instances together still never admit more than the limit.
 */
export function giveBack(keys: string[], windowMs = WINDOW_MS): void {
  keys = keys.map(storable);
  const now = Date.now();
  for (const key of keys) {
    const lease = current(leases.get(key), now);
    if (lease) lease.remaining++;
    else giveBackLocally(key, windowMs, now);
  }
}

async function hitShared(keys: string[], limit: number, windowMs: number, now: number): Promise<RateDecision> {
  const held = new Set(takeFromLeases(keys, now));
  // Each round secures a unit of every key it reserves for, unless the store has none left.
  try {
    // A slice already on its way is likely to cover this request too.
    const awaited = keys.filter((key) => !held.has(key) && leading.has(key));
    if (awaited.length) {
      await Promise.allSettled(awaited.map((key) => leading.get(key)));
      for (const key of takeFromLeases(awaited, now)) held.add(key);
    }
    for (let round = 0; round < 3 && held.size < keys.length; round++) {
      const { secured, budgetLeft } = await replenish(
        keys.filter((key) => !held.has(key)),
        now,
        limit,
        windowMs,
      );
      for (const key of secured) held.add(key);
      if (!budgetLeft) break;
    }
  } catch (error) {
    // The units already taken go back to their leases; the caller counts this request locally.
    for (const key of held) current(leases.get(key), now)!.remaining++;
    throw error;
  }
  const allowed = held.size === keys.length;
  // Refused: the units taken for the other keys go back to their leases for the next request.
  if (!allowed) for (const key of held) current(leases.get(key), now)!.remaining++;
  const leased = keys.map((key) => current(leases.get(key), now));
  const endsAt = Math.min(...leased.map((lease) => lease?.endsAt ?? now + windowMs));
  return {
    allowed,
    limit,
    remaining: Math.max(0, Math.min(...leased.map((lease) => (lease ? limit - lease.handedOut + lease.remaining : 0)))),
    retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)),
  };
}
