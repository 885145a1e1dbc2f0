/**
 * Where magic links go when no SMTP server is configured (full sandbox mode only): kept in the
 * server's memory, printed to its log, and listed at /sandbox/mailbox.
 */
import "server-only";

export type SandboxMail = { to: string; url: string; sentAt: Date; expires: Date };

const globalForMailbox = globalThis as unknown as { sandboxMailbox?: SandboxMail[] };
const KEEP = 50;

export function deliverToSandboxMailbox(mail: SandboxMail): void {
  const box = (globalForMailbox.sandboxMailbox ??= []);
  box.unshift(mail);
  box.length = Math.min(box.length, KEEP);
  console.log(`[sandbox mailbox] sign-in link for ${mail.to}: ${mail.url}`);
}

export function sandboxMailbox(): SandboxMail[] {
  return [...(globalForMailbox.sandboxMailbox ?? [])];
}
