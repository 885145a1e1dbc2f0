/**
 * The emailed sign-in link points at /signin/confirm with next-auth's callback parameters, so
 * that opening it changes nothing; the page's button sends them on to the callback.
 */
import "server-only";
import { z } from "zod";
import { emailSchema } from "@/lib/model/text";
import { sameOriginPath } from "@/lib/web/http/same-origin";

const CALLBACK_PATH = "/api/auth/callback/email";
const CONFIRM_PATH = "/signin/confirm";

/** next-auth's callback URL, as the page the email links to instead. */
export function confirmationUrl(callbackUrl: string): string {
  const callback = new URL(callbackUrl);
  const confirm = new URL(CONFIRM_PATH, callback.origin);
  confirm.search = callback.search;
  return confirm.href;
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
