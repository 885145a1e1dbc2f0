import { describe, expect, it } from "vitest";
import { connectLinkMail } from "@/lib/use-cases/connection/connect-link-mail";

const session = {
  id: "auth_sess_1",
  authFlowUrl: "https://connect.conductor.is/qbd/auth_sess_1?key=pk",
  expiresAt: new Date("2026-12-03T10:00:00Z"),
} as Parameters<typeof connectLinkMail>[0]["session"];

const mail = (companyName: string, sentBy: "customer" | "operator" = "customer") =>
  connectLinkMail({ to: "owner@example.test", companyName, session, sentBy });

describe("the connect-link email", () => {
  it("shows a company name cached from Conductor on one line: its line breaks, controls and direction marks cannot pose as the email's own lines", () => {
    const { subject, text, html } = mail("Evil Co\r\nBcc: victim@example.test\u2028\r\n\r\nURGENT\u202E: verify\tnow");
    const shown = "Evil Co Bcc: victim@example.test URGENT: verify now";
    expect(subject).toBe(`Connect QuickBooks Desktop for ${shown}`);
    expect(text).toContain(`to connect ${shown}:\n`);
    expect(text.split("\n").filter((line) => line.startsWith("Bcc:") || line.startsWith("URGENT"))).toEqual([]);
    expect(html).toContain(`<strong>${shown}</strong>`);
  });

  it("tells a customer who asked for it to ignore it otherwise, and one our team sent it to that the team did, without telling them to ignore it", () => {
    expect(mail("Acme").text).toContain("If you did not ask for it, ignore this email.");
    const sent = mail("Acme", "operator");
    expect(sent.text).toContain("Our team sent you this link to connect Acme to Conductor.");
    expect(sent.text).not.toContain("ignore this email");
    expect(sent.html).toContain("Our team sent you this link");
  });

  it("writes the expiry as the page that sent it does, in UTC", () => {
    const { text, html } = mail("Acme");
    expect(text).toContain("The link works once and expires at 2026-12-03 10:00:00 UTC.");
    expect(html).toContain("expires at 2026-12-03 10:00:00 UTC.");
  });
});
