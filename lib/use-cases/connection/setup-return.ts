/**
 * The address Conductor's setup returns to carries a proof that this app made it for that
 * end-user (an HMAC under the session-signing secret). A browser holding it, signed in or not,
 * had the setup open: its return has the connection checked for everyone who reads the cache
 * (the operators' list, the customer's pages), though the page shows it nobody's status.
 */
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/platform/auth-secret";

export const SETUP_PROOF_PARAM = "proof";

export function setupReturnProof(endUserId: string): string {
  return createHmac("sha256", authSecret()).update(`setup-return:${endUserId}`).digest("base64url").slice(0, 32);
}

export function provesSetupReturn(endUserId: string, proof: unknown): boolean {
  if (typeof proof !== "string") return false;
  const expected = Buffer.from(setupReturnProof(endUserId));
  const given = Buffer.from(proof);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
