/**
 * A callbackUrl never sends anyone to another site: on /signin (signed in, it redirects at once),
 * through next-auth's sign-in and the emailed link, each target is resolved the way a browser
 * resolves it and kept only when it stays on our origin. Targets on our origin are kept.
 */
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";

/** Decoded values, as a browser or a script would put them in the query string. */
const OFF_SITE = [
  "//evil.example/x",
  "/\\evil.example/x",
  "\\\\evil.example/x",
  "/\t/evil.example/x",
  "/%09/evil.example/x",
  "/\n/evil.example/x",
  "\n//evil.example/x",
  " //evil.example/x",
  "https://evil.example",
  "https://evil.example/onboarding",
  "http:evil.example",
  "//localhost@evil.example/x",
  "javascript:alert(document.domain)",
  "data:text/html,<script>alert(1)</script>",
];

/** Where an answer's Location (or next-auth's `{url}`) sends a browser. */
const landing = (target: string) => new URL(target, h.stack.appOrigin);

const query = (callbackUrl: string) => new URLSearchParams({ callbackUrl }).toString();

describe("/signin", () => {
  it.each(OFF_SITE)("signed in, callbackUrl=%j redirects on our own origin", async (target) => {
    const client = await h.signIn(h.uniqueEmail("redirect"));
    const response = await client.fetch(`/signin?${query(target)}`);
    expect(response.status).toBe(307);
    expect(landing(response.headers.get("location")!).origin).toBe(h.stack.appOrigin);
  });

  it.each([
    ["/end-users?q=acme#top", "/end-users?q=acme#top"],
    ["/onboarding", "/onboarding"],
    ["ABSOLUTE/onboarding/connected", "/onboarding/connected"],
  ])("keeps a target on our origin: %s → %s", async (target, path) => {
    const client = await h.signIn(h.uniqueEmail("redirect-ok"));
    const callbackUrl = target.replace("ABSOLUTE", h.stack.appOrigin);
    const response = await client.fetch(`/signin?${query(callbackUrl)}`);
    expect(response.status).toBe(307);
    const url = landing(response.headers.get("location")!);
    expect(`${url.origin}${url.pathname}${url.search}${url.hash}`).toBe(`${h.stack.appOrigin}${path}`);
  });
});

describe("next-auth's callbackUrl", () => {
  it.each(OFF_SITE)(
    "GET /api/auth/signin?callbackUrl=%j sends to our /signin with a target on our origin",
    async (target) => {
      const response = await h.client().fetch(`/api/auth/signin?${query(target)}`);
      expect(response.status).toBe(302);
      const signin = landing(response.headers.get("location")!);
      expect(signin.origin).toBe(h.stack.appOrigin);
      expect(landing(signin.searchParams.get("callbackUrl") ?? "/").origin).toBe(h.stack.appOrigin);
    },
  );

  it.each(OFF_SITE)("the emailed link for callbackUrl=%j lands on our origin once followed", async (target) => {
    const email = h.uniqueEmail("redirect-link");
    const client = h.client();
    const { csrfToken } = await (await client.fetch("/api/auth/csrf")).json();
    const asked = await client.fetch("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email, callbackUrl: target, json: "true" }),
    });
    expect(asked.status).toBe(200);
    expect(landing((await asked.json()).url).origin).toBe(h.stack.appOrigin);
    const link = await h.mail.signInLink(email);
    expect(landing(new URL(link).searchParams.get("callbackUrl")!).origin).toBe(h.stack.appOrigin);
    const followed = await h.followSignInLink(client, link);
    expect(followed.status).toBe(302);
    expect(client.signedIn).toBe(true);
    expect(landing(followed.headers.get("location")!).origin).toBe(h.stack.appOrigin);
  });

  it("keeps a callbackUrl on our origin through the emailed link (the control)", async () => {
    const { client, link } = await h.requestSignInLink(h.uniqueEmail("redirect-kept"), "/end-users?q=a");
    const followed = await h.followSignInLink(client, link);
    expect(followed.headers.get("location")).toBe(`${h.stack.appOrigin}/end-users?q=a`);
  });
});
