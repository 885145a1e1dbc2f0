/**
 * Sends one email: over SMTP (EMAIL_SERVER), or into the sandbox mailbox in full sandbox mode.
 * Every message carries one link, which is what the sandbox mailbox shows.
 */
import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
// The file, not its folder: Node.js resolves no folder in an import, so the build could not leave it external.
import SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { env, modes } from "@/lib/platform/env";
import { withinTimeLeft } from "@/lib/platform/function-deadline";
import { singleton } from "@/lib/platform/singleton";
import { deliverToSandboxMailbox } from "./mailbox";

/** `html`: the body's content, sent as a whole document. `replyTo`: who a reply reaches, when someone sent it. */
export type Mail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  link: string;
  expires: Date;
  replyTo?: string;
};

const htmlDocument = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `</head><body>${body}</body></html>`;

/**
 * An SMTP transport for EMAIL_SERVER with these timeouts. Built as a transport object:
 * `createTransport({ url, … })` reads the URL alone and drops every other option.
 */
const smtpTransport = (
  timeouts: Pick<SMTPTransport.Options, "connectionTimeout" | "greetingTimeout" | "socketTimeout">,
) => nodemailer.createTransport(new SMTPTransport({ url: env.EMAIL_SERVER, ...timeouts }));

// nodemailer waits up to two minutes for a connection and an hour on a silent socket: a mail
// server that stalls would hold sign-in requests that long.
const transport = (): Transporter =>
  singleton("mail.smtp", () =>
    smtpTransport({ connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
  );

/** Whether the mail server accepts a connection (greeting, EHLO, login) within a few seconds. */
export async function mailServerAnswers(): Promise<boolean> {
  if (modes.mail === "sandbox-mailbox") return true;
  const probe = smtpTransport({ connectionTimeout: 3_000, greetingTimeout: 3_000, socketTimeout: 3_000 });
  try {
    return await probe.verify();
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

/** How long after a failed send the mail server is asked first, before work that only a sent mail makes worth doing. */
const FAILURE_REMEMBERED_MS = 60_000;
const lastFailure = () => singleton("mail.lastFailure", () => ({ at: 0 }));

/**
 * Whether the mail server is known to be down: a send failed in the last minute and the server
 * does not answer now. Costs nothing while sends succeed.
 */
export async function mailKnownDown(): Promise<boolean> {
  const failure = lastFailure();
  if (!failure.at || Date.now() - failure.at > FAILURE_REMEMBERED_MS) return false;
  if (!(await mailServerAnswers())) return true;
  failure.at = 0;
  return false;
}

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The mail server refused the recipient for good (a 5xx reply to RCPT TO, such as 550 "no such
 * user" or a relay's suppression list): sending again will not help, the address must change.
 */
export class MailRefused extends Error {
  constructor(readonly responseCode: number) {
    super(`The mail server refused the recipient (${responseCode}).`);
    this.name = "MailRefused";
  }
}

/**
 * nodemailer's idle-socket timeout ("Timeout"), which only comes after the server's greeting, at
 * any step up to the message's end. Its connection and greeting timeouts are worded otherwise.
 */
const silentMidExchange = (error: unknown) =>
  (error as { code?: unknown }).code === "ETIMEDOUT" && (error as Error).message === "Timeout";

const refusedForGood = (error: unknown): number | null => {
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  return code === "EENVELOPE" && typeof responseCode === "number" && responseCode >= 500 && responseCode < 600
    ? responseCode
    : null;
};

/**
 * The mail server did not confirm the message: it went silent once the exchange had begun, or the
 * request's time ran out (its function's limit, or a minute). It may have the message, and
 * deliver it, or not.
 */
export class MailUnconfirmed extends Error {
  constructor() {
    super("The mail server did not confirm the email in time.");
    this.name = "MailUnconfirmed";
  }
}

/** The longest a send is waited for where the request declares no limit of its own (nodemailer's timeouts add up to more). */
const SEND_LIMIT_MS = 60_000;

/**
 * Sends `mail`; throws MailRefused when the server refuses its recipient for good, MailUnconfirmed
 * when it does not confirm within the time the request has left, and any failure else.
 */
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
  const limitMs = withinTimeLeft(SEND_LIMIT_MS);
  if (limitMs <= 0) throw new Error("No time was left to send the email.");
  const sending = transport()
    .sendMail({
      to: mail.to,
      from: env.EMAIL_FROM,
      replyTo: mail.replyTo,
      subject: mail.subject,
      text: mail.text,
      html: htmlDocument(mail.html),
      // Sent by the app, not typed by someone: out-of-office replies should not answer it (RFC 3834).
      headers: { "Auto-Submitted": "auto-generated" },
    })
    .catch((error: unknown) => {
      const responseCode = refusedForGood(error);
      if (responseCode) throw new MailRefused(responseCode);
      lastFailure().at = Date.now();
      throw silentMidExchange(error) ? new MailUnconfirmed() : error;
    });
  // Given up, the send finishes on its own: the race still holds its outcome, reported to nobody.
  let timer: NodeJS.Timeout | undefined;
  const givenUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      lastFailure().at = Date.now();
      reject(new MailUnconfirmed());
    }, limitMs);
  });
  const result = await Promise.race([sending, givenUp]).finally(() => clearTimeout(timer));
  const failed = [...(result.rejected ?? []), ...(result.pending ?? [])];
  if (failed.length) throw new Error(`The mail server did not accept the email for ${failed.length} recipient(s).`);
}
