/**
 * What this instance last heard from an upstream API, for /api/health: the health endpoint never
 * calls a vendor itself (anyone may poll it, and every call spends the vendor's quota), so it
 * reports the outcome of the most recent real call instead.
 */
import type { ErrorCode } from "./errors/codes";
import { singleton } from "./singleton";
import type { Vendor } from "./vendors";

const RECENT_MS = 5 * 60_000;

/** Failures that say the upstream itself is down or unusable, not that a request was refused. */
const DOWN: ReadonlySet<ErrorCode> = new Set([
  "upstream_timeout",
  "upstream_unavailable",
  "upstream_error",
  "upstream_auth_failed",
  "upstream_invalid_response",
]);

type Heard = { at: number; up: boolean };

const lastHeard = () => singleton("upstreamHealth.lastHeard", () => new Map<Vendor, Heard>());

/** Records a call's outcome: an answer (`null`), or the error code it failed with. */
export function recordUpstreamOutcome(vendor: Vendor, failure: ErrorCode | null): void {
  lastHeard().set(vendor, { at: Date.now(), up: failure === null || !DOWN.has(failure) });
}

/** `unknown` when this instance has not called the upstream in the last five minutes. */
export function upstreamStatus(vendor: Vendor, now = Date.now()): "ok" | "unavailable" | "unknown" {
  const heard = lastHeard().get(vendor);
  if (!heard || now - heard.at > RECENT_MS) return "unknown";
  return heard.up ? "ok" : "unavailable";
}
