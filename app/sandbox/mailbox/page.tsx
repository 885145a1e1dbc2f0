import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { modes } from "@/lib/platform/env";
import { formatTimestamp } from "@/lib/platform/format";
import { sandboxMailbox } from "@/lib/platform/mail/mailbox";

export const metadata: Metadata = { title: "Sandbox mailbox", robots: { index: false } };

/**
 * Exists only in full sandbox mode (no SMTP server, no live Conductor key, not on Vercel), where
 * it is how anyone signs in; so, like sign-in itself, it needs no session.
 */
export default async function SandboxMailboxPage() {
  await connection();
  if (modes.mail !== "sandbox-mailbox") notFound();
  const mails = sandboxMailbox();
  return (
    <>
      <h1>Sandbox mailbox</h1>
      <p className="notice notice-warn">
        No email server is configured, so every email the app sends (sign-in links, QuickBooks Desktop setup links)
        lands here, and in the server log, instead of an inbox. Anyone who can reach this server can use them: it runs
        only in sandbox mode.
      </p>
      {mails.length === 0 ? (
        <p className="card">No email yet. Ask for a sign-in link on the sign-in page.</p>
      ) : (
        <ul className="mail-list">
          {mails.map((mail) => (
            <li key={mail.link}>
              <p>
                To <strong>{mail.to}</strong> · sent {formatTimestamp(mail.sentAt)} · expires{" "}
                {formatTimestamp(mail.expires)}
              </p>
              <a href={mail.link}>{mail.subject}</a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
