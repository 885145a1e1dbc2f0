import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import type { SendVerificationRequestParams } from "next-auth/providers/email";
import { env, modes } from "@/lib/env";
import { deliverToSandboxMailbox } from "./sandbox-mailbox";

let transport: Transporter | undefined;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export async function sendMagicLink({ identifier, url, expires }: SendVerificationRequestParams): Promise<void> {
  if (modes.mail === "sandbox-mailbox") {
    deliverToSandboxMailbox({ to: identifier, url, sentAt: new Date(), expires });
    return;
  }
  transport ??= nodemailer.createTransport(env.EMAIL_SERVER);
  const host = new URL(url).host;
  const result = await transport.sendMail({
    to: identifier,
    from: env.EMAIL_FROM,
    subject: `Sign in to ${host}`,
    text: `Sign in to ${host}:\n${url}\n\nThe link works once and expires at ${expires.toUTCString()}. If you did not ask for it, ignore this email.\n`,
    html:
      `<p>Sign in to <strong>${escapeHtml(host)}</strong>:</p>` +
      `<p><a href="${escapeHtml(url)}">Sign in</a></p>` +
      `<p>The link works once and expires at ${escapeHtml(expires.toUTCString())}. If you did not ask for it, ignore this email.</p>`,
  });
  const failed = [...(result.rejected ?? []), ...(result.pending ?? [])];
  if (failed.length) throw new Error(`The mail server did not accept the sign-in email for ${failed.length} recipient(s).`);
}
