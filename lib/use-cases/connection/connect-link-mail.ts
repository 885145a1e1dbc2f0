import type { AuthSession } from "@/lib/model/auth-session";
import { escapeHtml, type Mail } from "@/lib/platform/mail/send";

/** The email that carries a QuickBooks Desktop setup link to the computer that runs QuickBooks. */
export function connectLinkMail(input: { to: string; companyName: string; session: AuthSession }): Mail {
  const { to, companyName, session } = input;
  const url = session.authFlowUrl;
  const steps =
    "The setup has you download a file for QuickBooks Web Connector and open it there, so keep QuickBooks " +
    "Desktop open with your company file while you do it.";
  const expiry = `The link works once and expires at ${session.expiresAt.toUTCString()}. If you did not ask for it, ignore this email.`;
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
