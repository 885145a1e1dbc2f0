/**
 * When the shared store (Postgres, or Redis) fails, each instance counts on its own, in memory,
 * until the store answers again: limits then hold per instance (each admits up to the limit)
 * instead of across instances. Refusing every request instead would turn a store outage into an
 * outage of sign-in and of every limited route. One warning is logged when an outage starts and
 * one line when it ends; meanwhile a single request every few seconds tries the store again.
 */
import "server-only";
import { env } from "@/lib/platform/env";
import { log } from "@/lib/platform/log";
import { singleton } from "@/lib/platform/singleton";
import type { RateDecision } from "./decision";

const RETRY_MS = 2_000;

type Outage = { since: number; retryAt: number };
type LocalWindow = { start: number; count: number };

const state = singleton("rateLimit.outage", () => ({ outage: null as Outage | null }));
const local = singleton("rateLimit.localWindows", () => new Map<string, LocalWindow>());

export const storeName = () => (env.REDIS_URL ? "redis" : "postgres");

/** Whether this request should ask the shared store: always, unless it is down and another request is already retrying it. */
export function mayAskStore(now: number): boolean {
  const outage = state.outage;
  if (!outage) return true;
  if (now < outage.retryAt) return false;
  outage.retryAt = Number.POSITIVE_INFINITY;
  return true;
}

export function storeFailed(error: unknown, now: number): void {
  if (!state.outage)
    log.warn("rate_limit.store_unavailable", {
      store: storeName(),
      message: (error as Error)?.message,
      fallback: "per-instance limits in memory",
    });
  state.outage = { since: state.outage?.since ?? now, retryAt: now + RETRY_MS };
}

export function storeAnswered(now: number): void {
  if (!state.outage) return;
  log.info("rate_limit.store_recovered", { store: storeName(), outageMs: now - state.outage.since });
  state.outage = null;
  local.clear();
}

/** Whether this instance is limiting on its own because the shared store failed. */
export const limitingLocally = () => state.outage !== null;

/** A fixed window per key in this instance's memory; allowed only if every key has budget left. */
/** The start of the fixed window `now` falls in. */
const windowStartOf = (now: number, windowMs: number) => now - (now % windowMs);

export function hitLocally(keys: string[], limit: number, windowMs: number, now: number): RateDecision {
  const start = windowStartOf(now, windowMs);
  const windows = keys.map((key) => {
    const window = local.get(key);
    if (window?.start === start) return window;
    const fresh = { start, count: 0 };
    local.set(key, fresh);
    return fresh;
  });
  const allowed = windows.every((window) => window.count < limit);
  if (allowed) for (const window of windows) window.count++;
  if (local.size > 10_000) for (const [key, window] of local) if (window.start < start) local.delete(key);
  return {
    allowed,
    limit,
    remaining: Math.max(0, Math.min(...windows.map((window) => limit - window.count))),
    retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)),
  };
}

/** Gives back a unit this instance counted for `key` in the current window (see giveBack). */
export function giveBackLocally(key: string, windowMs: number, now: number): void {
  const window = local.get(key);
  if (window && window.start === windowStartOf(now, windowMs) && window.count > 0) window.count--;
}
