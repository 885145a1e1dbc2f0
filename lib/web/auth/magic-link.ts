import "server-only";
import type { SendVerificationRequestParams } from "next-auth/providers/email";
import { escapeHtml, sendMail } from "@/lib/platform/mail/send";

/** The sign-in email next-auth asks for: one link, single use, with its expiry. */
export async function sendMagicLink({ identifier, url, expires }: SendVerificationRequestParams): Promise<void> {
  const host = new URL(url).host;
  const expiry = `The link works once and expires at ${expires.toUTCString()}. If you did not ask for it, ignore this email.`;
  await sendMail({
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
}
