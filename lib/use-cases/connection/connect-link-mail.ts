import type { AuthSession } from "@/lib/model/auth-session";
import { describeLifetime, formatTimestamp } from "@/lib/platform/format";
import { escapeHtml, type Mail } from "@/lib/platform/mail/send";

/**
 * A company name as one line of an email. Names cached from Conductor were not typed into our
 * forms: line breaks or controls there would read as the email's own lines (a fake "Bcc:", a
 * paragraph of someone else's), and text-direction controls and marks could reorder what is shown.
 */
const oneLine = (name: string) =>
  name
    .replace(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "")
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, " ")
    .trim();

/**
 * A name as a Subject header holds it: text shaped as a MIME encoded word (`=?utf-8?B?…?=`) would
 * be sent as it is, and mail readers decode it, line breaks and direction marks included. A
 * zero-width space after each `=` keeps it text, and makes the sender encode the header itself.
 */
const headerText = (text: string) => text.replaceAll("=?", "=\u200B?");

/**
 * The email that carries a QuickBooks Desktop setup link to the computer that runs QuickBooks.
 * `sentBy`: the customer asked for it themselves, or an operator of ours sent it to them, whom a
 * reply reaches.
 */
export function connectLinkMail(input: {
  to: string;
  companyName: string;
  session: AuthSession;
  sentBy: "customer" | { operator: string };
  /** How long Conductor was asked to keep the link working. */
  lifetimeMinutes: number;
  /** Whether QuickBooks Desktop is connected already: then the link sets it up again. */
  connected: boolean;
}): Mail {
  const { to, session, sentBy } = input;
  const companyName = oneLine(input.companyName);
  const url = session.authFlowUrl;
  const operator = sentBy === "customer" ? null : sentBy.operator;
  const why = operator
    ? `${operator}, of the team that onboards you to Conductor, sent you this link to connect ${companyName}. ` +
      "If you were not expecting it, reply to this email before you open it: the reply reaches them."
    : "If you did not ask for it, ignore this email.";
  const again = input.connected
    ? `${companyName} is connected already: a new setup is needed only for another Windows computer or company file. `
    : "";
  const steps =
    again +
    "The setup has you download a file for QuickBooks Web Connector and open it there, so keep QuickBooks " +
    "Desktop open with your company file while you do it.";
  // The time written as the page that sent it writes it, so the two can be compared at a glance.
  const lifetime = describeLifetime(input.lifetimeMinutes * 60_000);
  const expiry = `The link works once, for ${lifetime}: until ${formatTimestamp(session.expiresAt)}. ${why}`;
  return {
    to,
    subject: `Connect QuickBooks Desktop for ${headerText(companyName)}`,
    text:
      `Open this link on the Windows computer that runs QuickBooks Desktop to connect ${companyName}:\n${url}\n\n` +
      `${steps}\n\n${expiry}\n`,
    html:
      `<p>Open this link on the <strong>Windows computer that runs QuickBooks Desktop</strong> to connect ` +
      `<strong>${escapeHtml(companyName)}</strong>:</p>` +
      `<p><a href="${escapeHtml(url)}">Connect QuickBooks Desktop</a></p>` +
      `<p>Or open this address there: ${escapeHtml(url)}</p>` +
      `<p>${escapeHtml(steps)}</p><p>${escapeHtml(expiry)}</p>`,
    link: url,
    expires: session.expiresAt,
    ...(operator && { replyTo: operator }),
  };
}
