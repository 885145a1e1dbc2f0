/**
 * The emailed sign-in link points at /signin/confirm with next-auth's callback parameters, so
 * that opening it changes nothing; the page's button sends them on to the callback.
 */
import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { signInLinkExpiry } from "@/lib/data/sessions";
import { emailSchema } from "@/lib/model/text";
import { authSecret } from "@/lib/platform/auth-secret";
import { sameOriginPath } from "@/lib/web/http/same-origin";

const CALLBACK_PATH = "/api/auth/callback/email";
const CONFIRM_PATH = "/signin/confirm";

/** next-auth's callback URL, as the page the email links to instead (on `origin`, else the callback's). */
export function confirmationUrl(callbackUrl: string, origin?: string): string {
  const callback = new URL(callbackUrl);
  const confirm = new URL(CONFIRM_PATH, origin ?? callback.origin);
  confirm.search = callback.search;
  return confirm.href;
}

/** A request the browser makes ahead of a click (a link's prefetch), or for React data, not a navigation. */
const prefetch = (headers: Headers): boolean =>
  headers.has("next-router-prefetch") ||
  headers.has("rsc") ||
  /prefetch/i.test(headers.get("purpose") ?? "") ||
  /prefetch/i.test(headers.get("sec-purpose") ?? "");

/**
 * A browser reaching the callback other than by the confirm page's own form (a link on another
 * site, or in an email an attacker sent) is sent to that page first, where the address it signs
 * in as, and the account it replaces, are shown: otherwise anyone could sign a victim's browser in
 * as themselves with one link (login CSRF). Browsers say where a navigation came from in
 * Sec-Fetch-Site, and whether it is one in Sec-Fetch-Mode; a request that is no navigation (a
 * link's prefetch, a fetch) signs nobody in either, since its answer's cookie would. A client that
 * sends no Sec-Fetch-Site (no browser, or one too old) is told apart only by prefetch headers.
 * The URL to go to instead, or null to go on.
 */
export function confirmFirst(url: URL, headers: Headers, origin: string): string | null {
  if (url.pathname !== CALLBACK_PATH) return null;
  const site = headers.get("sec-fetch-site");
  const mode = headers.get("sec-fetch-mode");
  // Node's fetch sends Sec-Fetch-Mode too, but no Sec-Fetch-Site: only a browser sends that.
  const fromTheForm = site === null || (site === "same-origin" && (mode === null || mode === "navigate"));
  return fromTheForm && !prefetch(headers) ? null : confirmationUrl(url.href, origin);
}

// next-auth's own tokens are 32 random bytes in hex.
const linkSchema = z.object({
  token: z.string().regex(/^[0-9a-f]{64}$/),
  email: emailSchema,
  callbackUrl: z.string().optional(),
});

/** What the page's form sends to the callback, or null for a link that is not whole. */
export function signInConfirmation(
  query: Record<string, string | string[] | undefined>,
  origin: string,
): { email: string; action: string; fields: { callbackUrl: string; token: string; email: string } } | null {
  const link = linkSchema.safeParse(query);
  if (!link.success) return null;
  const { token, email, callbackUrl } = link.data;
  // Only a path on this site, as the sign-in page keeps it.
  const fields = { callbackUrl: sameOriginPath(callbackUrl, origin), token, email };
  return { email, action: CALLBACK_PATH, fields };
}

/**
 * Whether the link can still sign in, asked without using it: next-auth stores the token hashed
 * with the session secret, and deletes it once used or replaced (retireEarlierSignInLinks).
 */
export async function signInLinkState(
  email: string,
  token: string,
): Promise<{ live: true } | { live: false; expiredAt: Date | null }> {
  const hashed = createHash("sha256").update(`${token}${authSecret()}`).digest("hex");
  const expires = await signInLinkExpiry(email, hashed);
  if (expires && expires.getTime() > Date.now()) return { live: true };
  return { live: false, expiredAt: expires };
}
