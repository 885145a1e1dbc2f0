import { describe, expect, inject, it } from "vitest";
import { HttpClient, requestSignInLink, uniqueEmail } from "../support/http";
import { mailsTo } from "../support/smtp-sink";

describe("sign-in by emailed link", () => {
  it("sends the link over SMTP, establishes a session when followed, and refuses the link a second time", async () => {
    const email = uniqueEmail("signin");
    const { client, link } = await requestSignInLink(email);

    const [mail] = await mailsTo(inject("stack").sinkApiUrl, email);
    expect(mail).toMatchObject({ to: [email], from: expect.stringContaining("no-reply@example.test") });
    expect(new URL(link).origin).toBe(inject("stack").appOrigin);

    const followed = await client.fetch(link);
    expect(followed.status).toBe(302);
    expect(followed.headers.get("location")).toBe(`${inject("stack").appOrigin}/onboarding`);
    const session = (await (await client.fetch("/api/auth/session")).json()) as { user: { email: string; id: string } };
    expect(session.user.email).toBe(email);

    const again = await new HttpClient(inject("stack").appOrigin).fetch(link);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toContain("error=Verification");
  });

  it("refuses a sign-in request without the CSRF token", async () => {
    const client = new HttpClient(inject("stack").appOrigin);
    const email = uniqueEmail("nocsrf");
    const response = await client.fetch("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, json: "true" }),
    });
    expect(((await response.json()) as { url: string }).url).toContain("csrf=true");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mailsTo(inject("stack").sinkApiUrl, email)).toEqual([]);
  });

  it("signs out by deleting the session, not just the cookie", async () => {
    const { client, link } = await requestSignInLink(uniqueEmail("signout"));
    await client.fetch(link);
    const token = [...client.cookies].find(([name]) => name.endsWith("session-token"))![1];
    const stolen = new HttpClient(inject("stack").appOrigin);
    stolen.cookies.set("next-auth.session-token", token);
    expect(((await (await stolen.fetch("/api/auth/session")).json()) as { user?: unknown }).user).toBeDefined();

    const { signOutFromPage } = await import("../support/actions");
    await signOutFromPage(client);
    expect(await (await stolen.fetch("/api/auth/session")).json()).toEqual({});
  });
});
