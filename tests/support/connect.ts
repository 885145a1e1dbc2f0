/** The sandbox's QuickBooks Desktop setup, done as a person does it: the auth-flow page's buttons, the emailed link. */
import { stack } from "./provided";
import { mailsTo } from "./smtp-sink";

/** Presses a button of the sandbox auth-flow page (a form POST), without following the redirect. */
export function pressSetupButton(
  authFlowUrl: string,
  decision: "complete" | "complete_closed" | "cancel" = "complete",
) {
  return fetch(authFlowUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ decision }),
    redirect: "manual",
  });
}

/** Waits for a QuickBooks Desktop setup email to `email` (after the first `after` mails) and returns it with its link. */
export async function waitForConnectMail(email: string, after = 0, timeoutMs = 15_000) {
  const { sinkApiUrl } = stack;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mail = (await mailsTo(sinkApiUrl, email))
      .slice(after)
      .find((m) => m.subject.startsWith("Connect QuickBooks"));
    const link = mail?.text.match(/https?:\/\/\S+\/qbd\/\S+/)?.[0];
    if (mail && link) return { mail, link };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no setup mail for ${email} within ${timeoutMs} ms`);
}

/** What "Check now" says it found, in a page's text: when the check ran (UTC, to the second), and the status. */
export const checkedMessage = (status: string) =>
  new RegExp(`Checked at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC: ${status}\\.`);
