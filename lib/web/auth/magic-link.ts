import "server-only";
import type { SendVerificationRequestParams } from "next-auth/providers/email";
import { retireEarlierSignInLinks } from "@/lib/data/sessions";
import { describeLifetime, formatTimestamp } from "@/lib/platform/format";
import { escapeHtml, MailRefused, MailUnconfirmed, sendMail } from "@/lib/platform/mail/send";
import { PRODUCT_NAME } from "@/lib/platform/product-name";
import { rememberedForRequest, rememberForRequest } from "@/lib/web/request-memo";
import { confirmationUrl } from "./magic-link-confirmation";
import { SIGN_IN_LINK_MAX_AGE_S } from "./session-lifetime";

/** Why this request's sign-in email failed, where next-auth says only EmailSignin. */
type SendFailure = "refused" | "unconfirmed";
const FAILURE = "signin:send-failure";

/**
 * "refused": the mail server refused the address for good. "unconfirmed": it went silent once
 * it had the message, so the link may still arrive. Undefined for any other failure, or none.
 */
export const sendFailure = (): Promise<SendFailure | undefined> => rememberedForRequest<SendFailure>(FAILURE);

/**
 * The sign-in email next-auth asks for: one link, single use, with its expiry. The link opens a
 * page whose button signs in (magic-link-confirmation.ts), not next-auth's callback itself.
 */
export async function sendMagicLink({
  identifier,
  url: callback,
  expires,
}: SendVerificationRequestParams): Promise<void> {
  const url = confirmationUrl(callback);
  const where = `${PRODUCT_NAME} at ${new URL(url).host}`;
  const expiry =
    `The link works once, for ${describeLifetime(SIGN_IN_LINK_MAX_AGE_S * 1000)}: until ${formatTimestamp(expires)}. ` +
    "It replaces any sign-in link sent to this address before. If you did not ask for it, ignore this email.";
  const sent = sendMail({
    to: identifier,
    subject: `Sign in to ${where}`,
    text: `Sign in to ${where}:\n${url}\n\n${expiry}\n`,
    html:
      `<p>Sign in to <strong>${escapeHtml(where)}</strong>:</p>` +
      `<p><a href="${escapeHtml(url)}">Sign in</a></p>` +
      `<p>Or open this address: ${escapeHtml(url)}</p>` +
      `<p>${escapeHtml(expiry)}</p>`,
    link: url,
    expires,
  });
  await sent.catch(async (error: unknown) => {
    if (error instanceof MailRefused) await rememberForRequest<SendFailure>(FAILURE, "refused");
    if (error instanceof MailUnconfirmed) await rememberForRequest<SendFailure>(FAILURE, "unconfirmed");
    throw error;
  });
  // Only once this mail is on its way: a link that failed to go out leaves the earlier ones working.
  await retireEarlierSignInLinks(identifier, expires);
}
