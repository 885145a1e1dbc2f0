/**
 * Sends one email: over SMTP (EMAIL_SERVER), or into the sandbox mailbox in full sandbox mode.
 * Every message carries one link, which is what the sandbox mailbox shows.
 */
import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env, modes } from "@/lib/platform/env";
import { singleton } from "@/lib/platform/singleton";
import { deliverToSandboxMailbox } from "./mailbox";

export type Mail = { to: string; subject: string; text: string; html: string; link: string; expires: Date };

const transport = (): Transporter => singleton("mail.smtp", () => nodemailer.createTransport(env.EMAIL_SERVER));

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export async function sendMail(mail: Mail): Promise<void> {
  if (modes.mail === "sandbox-mailbox") {
    deliverToSandboxMailbox({
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      link: mail.link,
      sentAt: new Date(),
      expires: mail.expires,
    });
    return;
  }
  const result = await transport().sendMail({
    to: mail.to,
    from: env.EMAIL_FROM,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
  });
  const failed = [...(result.rejected ?? []), ...(result.pending ?? [])];
  if (failed.length) throw new Error(`The mail server did not accept the email for ${failed.length} recipient(s).`);
}
