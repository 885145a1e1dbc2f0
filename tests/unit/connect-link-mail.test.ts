import { describe, expect, it } from "vitest";
import { connectLinkMail } from "@/lib/use-cases/connection/connect-link-mail";

const session = {
  id: "auth_sess_1",
  authFlowUrl: "https://connect.conductor.is/qbd/auth_sess_1?key=pk",
  expiresAt: new Date("2026-12-03T10:00:00Z"),
} as Parameters<typeof connectLinkMail>[0]["session"];

const mail = (
  companyName: string,
  sentBy: "customer" | { operator: string } = "customer",
  lifetimeMinutes = 1440,
  connected = false,
) => connectLinkMail({ to: "owner@example.test", companyName, session, sentBy, lifetimeMinutes, connected });

describe("the connect-link email", () => {
  it("to a company connected already, says a new setup is needed only for another computer or company file", () => {
    const again = "Acme is connected already: a new setup is needed only for another Windows computer or company file.";
    const sent = mail("Acme", { operator: "ops@example.test" }, 1440, true);
    expect(sent.text).toContain(again);
    expect(sent.html).toContain(again);
    expect(mail("Acme", { operator: "ops@example.test" }).text).not.toContain("connected already");
  });

  it("shows a company name cached from Conductor on one line: its line breaks, controls and direction marks cannot pose as the email's own lines", () => {
    const { subject, text, html } = mail(
      "Evil Co\r\nBcc: victim@example.test\u2028\r\n\r\nURGENT\u202E: verify\u200F\u061C\tnow\u200E",
    );
    const shown = "Evil Co Bcc: victim@example.test URGENT: verify now";
    expect(subject).toBe(`Connect QuickBooks Desktop for ${shown}`);
    expect(text).toContain(`to connect ${shown}:\n`);
    expect(text.split("\n").filter((line) => line.startsWith("Bcc:") || line.startsWith("URGENT"))).toEqual([]);
    expect(html).toContain(`<strong>${shown}</strong>`);
  });

  it("keeps a name shaped as a MIME encoded word text in the Subject, so no mail reader decodes line breaks or direction marks out of it", () => {
    const encoded = `=?utf-8?B?${Buffer.from("Acme \u202Eexe.gnp\r\nBcc: x@evil.example").toString("base64")}?=`;
    const { subject, text } = mail(encoded);
    expect(subject).toBe(`Connect QuickBooks Desktop for =\u200B?utf-8?B?${encoded.slice(10)}`);
    expect(subject).not.toContain("=?");
    expect(text).toContain(`to connect ${encoded}:`);
  });

  it("tells a customer who asked for it to ignore it otherwise; one an operator sent it to, who sent it and that a reply reaches them", () => {
    const asked = mail("Acme");
    expect(asked.text).toContain("If you did not ask for it, ignore this email.");
    expect(asked.replyTo).toBeUndefined();
    const sent = mail("Acme", { operator: "ops@example.test" });
    expect(sent.text).toContain(
      "ops@example.test, of the team that onboards you to Conductor, sent you this link to connect Acme. " +
        "If you were not expecting it, reply to this email before you open it: the reply reaches them.",
    );
    expect(sent.text).not.toContain("ignore this email");
    expect(sent.html).toContain("ops@example.test, of the team that onboards you to Conductor");
    expect(sent.replyTo).toBe("ops@example.test");
  });

  it("says how long the link works and until when, written as the page that sent it writes it, in UTC", () => {
    const { text, html } = mail("Acme");
    expect(text).toContain("The link works once, for 24 hours: until 2026-12-03 10:00:00 UTC.");
    expect(html).toContain("for 24 hours: until 2026-12-03 10:00:00 UTC.");
    expect(mail("Acme", "customer", 15).text).toContain("for 15 minutes:");
    expect(mail("Acme", "customer", 10080).text).toContain("for 7 days:");
    expect(mail("Acme", "customer", 90).text).toContain("for 90 minutes:");
  });

  it("shows the link's address in the HTML part too, for copying to the computer that runs QuickBooks", () => {
    expect(mail("Acme").html).toContain(
      "Or open this address there: https://connect.conductor.is/qbd/auth_sess_1?key=pk</p>",
    );
  });
});
