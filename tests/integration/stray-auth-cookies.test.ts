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
