import "server-only";
import type { SendVerificationRequestParams } from "next-auth/providers/email";
import { escapeHtml, MailRefused, sendMail } from "@/lib/platform/mail/send";
import { rememberedForRequest, rememberForRequest } from "@/lib/web/request-memo";
import { confirmationUrl } from "./magic-link-confirmation";

const REFUSED = "signin:address-refused";

/** Whether this request's sign-in email was refused for good by the mail server (next-auth says only EmailSignin). */
export const addressRefused = async (): Promise<boolean> => (await rememberedForRequest<boolean>(REFUSED)) === true;

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
  const host = new URL(url).host;
  const expiry = `The link works once and expires at ${expires.toUTCString()}. If you did not ask for it, ignore this email.`;
  const sent = sendMail({
    to: identifier,
    subject: `Sign in to ${host}`,
    text: `Sign in to ${host}:\n${url}\n\n${expiry}\n`,
    html:
      `<p>Sign in to <strong>${escapeHtml(host)}</strong>:</p>` +
      `<p><a href="${escapeHtml(url)}">Sign in</a></p>` +
      `<p>${escapeHtml(expiry)}</p>`,
    link: url,
    expires,
  });
  await sent.catch(async (error: unknown) => {
    if (error instanceof MailRefused) await rememberForRequest(REFUSED, true);
    throw error;
  });
}
