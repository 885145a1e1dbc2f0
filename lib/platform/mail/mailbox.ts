/**
 * Where mail goes when no SMTP server is configured (full sandbox mode only): kept in the server's
 * memory, written to its log, and listed at /sandbox/mailbox.
 */
import "server-only";
import { log } from "@/lib/platform/log";
import { singleton } from "@/lib/platform/singleton";

export type SandboxMail = { to: string; subject: string; text: string; link: string; sentAt: Date; expires: Date };

const KEEP = 50;
const box = () => singleton("mail.sandboxMailbox", (): SandboxMail[] => []);

export function deliverToSandboxMailbox(mail: SandboxMail): void {
  const mails = box();
  mails.unshift(mail);
  mails.length = Math.min(mails.length, KEEP);
  log.info("sandbox.mailbox", { to: mail.to, subject: mail.subject, link: mail.link });
}

export function sandboxMailbox(): SandboxMail[] {
  return [...box()];
}
