/**
 * Cookies next-auth sets for itself (its callback URL, its CSRF token) are client input like any
 * other: one it cannot parse must not fail a signed-in request.
 */
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";

const stray = ["next-auth.callback-url", "%3F%3F"] as const;

describe("a signed-in request carrying a callback-URL cookie next-auth cannot parse", () => {
  it("still reaches the route: 200 with the session's data", async () => {
    const { client, endUser } = await h.onboardedCustomer("stray-cookie-api", "Stray Cookie Co");
    client.cookies.set(...stray);
    const response = await client.fetch(`/api/end-users/${endUser.id}/connection`);
    expect(response.status).toBe(200);
  });

  it("still renders the signed-in page", async () => {
    const { client } = await h.customer("stray-cookie-page");
    client.cookies.set(...stray);
    const response = await client.fetch("/onboarding");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Company name");
  });

  it("still runs the server action as the signed-in customer", async () => {
    const { client } = await h.customer("stray-cookie-action");
    client.cookies.set(...stray);
    const result = await h.actions.onboard(client, "Stray Cookie Action Co");
    expect(result.status).toBe(200);
    expect(h.actions.formState(result.body).status).toBe("success");
  });
});

describe("next-auth's own routes, given a callback-URL cookie that is not an http URL", () => {
  it.each(["/api/auth/session", "/api/auth/csrf", "/api/auth/providers"])(
    "answer %s as usual, not with a 500",
    async (path) => {
      const client = h.client();
      client.cookies.set("next-auth.callback-url", "a%0Ab");
      expect((await client.fetch(path)).status).toBe(200);
    },
  );
});

describe("next-auth's error route, given an error name outside printable ASCII", () => {
  it("redirects to the sign-in error page instead of failing on the Location header", async () => {
    const response = await h
      .client()
      .fetch(`/api/auth/error?error=Verification&error=${encodeURIComponent("Ａccess")}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("error=Default");
  });
});

describe("a session cookie holding a NUL (which Postgres cannot compare)", () => {
  const nulSession = (client: ReturnType<typeof h.client>) =>
    client.cookies.set("next-auth.session-token", "end_usr_abc%00%5C");

  it("is no session for an API route: 401 in the envelope", async () => {
    const client = h.client();
    nulSession(client);
    const response = await client.fetch("/api/end-users?limit=1");
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("unauthenticated");
  });

  it("is no session for a page: sent to sign in", async () => {
    const client = h.client();
    nulSession(client);
    const response = await client.fetch("/onboarding");
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toContain("/signin");
  });

  it("is no session for a server action: refused, nothing written", async () => {
    const client = h.client();
    nulSession(client);
    const result = await h.actions.onboard(client, "Nul Session Co");
    expect(result.status).toBeLessThan(500);
    expect(await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "companyName" = $1`, ["Nul Session Co"])).toBe(0);
  });

  it("is signed out of by the sign-out action, which clears the cookie", async () => {
    const client = h.client();
    nulSession(client);
    const result = await h.actions.signOut(client);
    expect(result.status).toBeLessThan(500);
    expect(client.cookies.has("next-auth.session-token")).toBe(false);
  });
});

describe("a NUL byte where next-auth expects a session or a magic-link token", () => {
  it("names no session and no token: anonymous answers, the sign-in error page, and no database error logged", async () => {
    const app = await h.startApp();
    const client = h.client(app.origin);
    client.cookies.set("next-auth.session-token", "%00");
    const session = await client.fetch("/api/auth/session");
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual({});
    const page = await client.fetch("/onboarding", { redirect: "manual" });
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/signin");

    // next-auth reads the last of a repeated parameter: a NUL in any of them counts.
    const links = ["token=%00&email=%00", "token=x&email=a%40b.c&email=%00", "token=x&email=%00&email=a%40b.c"];
    for (const query of links) {
      const callback = await h.client(app.origin).fetch(`/api/auth/callback/email?${query}`, { redirect: "manual" });
      expect(callback.status, query).toBe(302);
      expect(callback.headers.get("location"), query).toContain("error=Verification");
    }
    expect(app.output()).not.toMatch(/22021|invalid byte sequence|adapter_error/);
  });
});
