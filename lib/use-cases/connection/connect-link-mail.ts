import type { AuthSession } from "@/lib/model/auth-session";
import { formatTimestamp } from "@/lib/platform/format";
import { escapeHtml, type Mail } from "@/lib/platform/mail/send";

/**
 * A company name as one line of an email. Names cached from Conductor were not typed into our
 * forms: line breaks or controls there would read as the email's own lines (a fake "Bcc:", a
 * paragraph of someone else's), and text-direction controls could reorder what is shown.
 */
const oneLine = (name: string) =>
  name
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, " ")
    .trim();

/**
 * The email that carries a QuickBooks Desktop setup link to the computer that runs QuickBooks.
 * `sentBy`: the customer asked for it themselves, or our team (an operator) sent it to them.
 */
export function connectLinkMail(input: {
  to: string;
  companyName: string;
  session: AuthSession;
  sentBy: "customer" | "operator";
}): Mail {
  const { to, session, sentBy } = input;
  const companyName = oneLine(input.companyName);
  const url = session.authFlowUrl;
  const why =
    sentBy === "operator"
      ? `Our team sent you this link to connect ${companyName} to Conductor. If you were not expecting it, contact us before you open it.`
      : "If you did not ask for it, ignore this email.";
  const steps =
    "The setup has you download a file for QuickBooks Web Connector and open it there, so keep QuickBooks " +
    "Desktop open with your company file while you do it.";
  // Written as the page that sent it writes it, so the two can be compared at a glance.
  const expiry = `The link works once and expires at ${formatTimestamp(session.expiresAt)}. ${why}`;
  return {
    to,
    subject: `Connect QuickBooks Desktop for ${companyName}`,
    text:
      `Open this link on the Windows computer that runs QuickBooks Desktop to connect ${companyName}:\n${url}\n\n` +
      `${steps}\n\n${expiry}\n`,
    html:
      `<p>Open this link on the <strong>Windows computer that runs QuickBooks Desktop</strong> to connect ` +
      `<strong>${escapeHtml(companyName)}</strong>:</p>` +
      `<p><a href="${escapeHtml(url)}">Connect QuickBooks Desktop</a></p>` +
      `<p>${escapeHtml(steps)}</p><p>${escapeHtml(expiry)}</p>`,
    link: url,
    expires: session.expiresAt,
  };
}
