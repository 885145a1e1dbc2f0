/**
 * The address Conductor's setup returns to carries a proof that this app made it for that
 * end-user (an HMAC under the session-signing secret), and until when it holds. A browser holding
 * it, signed in or not, had the setup open: its return has the connection checked for everyone
 * who reads the cache (the operators' list, the customer's pages), though the page shows it
 * nobody's status. Past its time, an address kept in a browser's history or a mailbox checks
 * nothing.
 */
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/platform/auth-secret";

export const SETUP_PROOF_PARAM = "proof";
export const SETUP_UNTIL_PARAM = "until";

/** Conductor's lifetime for an auth session created without `linkExpiryMins`. */
const CONDUCTOR_DEFAULT_LINK_EXPIRY_MINUTES = 30;
/** After the link's own end: a setup completed just before it, and its page reloaded a while after. */
const RETURN_GRACE_MINUTES = 60;

/** Until when the return of a setup whose link lives `linkExpiryMins` is proven: whole seconds since the epoch. */
export function setupReturnUntil(linkExpiryMins: number | undefined, now = Date.now()): number {
  const minutes = (linkExpiryMins ?? CONDUCTOR_DEFAULT_LINK_EXPIRY_MINUTES) + RETURN_GRACE_MINUTES;
  return Math.ceil(now / 1000) + minutes * 60;
}

export function setupReturnProof(endUserId: string, until: number): string {
  return createHmac("sha256", authSecret())
    .update(`setup-return:${endUserId}:${until}`)
    .digest("base64url")
    .slice(0, 32);
}

/** Whether `proof` is this app's for `endUserId` and `until`, and `until` has not passed. */
export function provesSetupReturn(endUserId: string, until: unknown, proof: unknown, now = Date.now()): boolean {
  // One spelling of each time: no leading zeros, so a proof stands for exactly one address.
  if (typeof proof !== "string" || typeof until !== "string" || !/^[1-9]\d{0,11}$/.test(until)) return false;
  if (Number(until) * 1000 < now) return false;
  const expected = Buffer.from(setupReturnProof(endUserId, Number(until)));
  const given = Buffer.from(proof);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
