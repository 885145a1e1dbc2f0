/**
 * Service tokens (LOOKUP_API_TOKENS, two at once during a rotation). Presented tokens are hashed
 * and compared with every configured hash in constant time, so neither the comparison nor the
 * number of tokens checked reveals anything about a near miss.
 */
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/platform/env";

const sha256 = (value: string) => createHash("sha256").update(value).digest();

const configured = env.LOOKUP_API_TOKENS.map((token) => sha256(token));

/** The bearer credential of an Authorization header (scheme matched case-insensitively), or null. */
export function bearerToken(header: string | null): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? "");
  return match ? match[1]! : null;
}

/** Whether the header names the bearer scheme, well formed or not. */
export const isBearerScheme = (header: string | null): boolean => /^Bearer(?:\s|$)/i.test(header ?? "");

/**
 * The challenge of a refusal on a route a bearer token opens (RFC 6750): bare when no bearer
 * credential was sent, `invalid_request` when one was sent malformed (a 400), `invalid_token`
 * otherwise.
 */
export function bearerChallenge(header: string | null): string {
  if (bearerToken(header) !== null) return 'Bearer error="invalid_token"';
  return isBearerScheme(header) ? 'Bearer error="invalid_request"' : "Bearer";
}

/** A stable, non-secret id for a valid token (used in rate-limit keys and logs), or null. */
export function verifyServiceToken(token: string): string | null {
  const presented = sha256(token);
  let matched: Buffer | null = null;
  for (const digest of configured) {
    if (timingSafeEqual(digest, presented)) matched = digest;
  }
  return matched ? matched.toString("hex").slice(0, 12) : null;
}

export function verifySecret(presented: string, expected: string | undefined): boolean {
  return expected !== undefined && timingSafeEqual(sha256(presented), sha256(expected));
}
