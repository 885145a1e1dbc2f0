/**
 * A 401 says which credential the route takes: a sign-in, a service token, or the cron secret,
 * never one the route would refuse anyway.
 */
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";

const messageOf = async (response: Response) => {
  expect(response.status).toBe(401);
  return ((await response.json()) as { error: { code: string; message: string } }).error;
};

describe("401 answers", () => {
  it("ask only for a sign-in on routes for people", async () => {
    for (const path of ["/api/end-users", "/api/audit", "/api/audit.csv", "/api/end-users/end_usr_nobody/connection"]) {
      expect(await messageOf(await h.client().fetch(path)), path).toEqual({
        code: "unauthenticated",
        message: "Sign in first.",
      });
    }
  });

  it("ask for a sign-in or a service token on the lookup, which takes either", async () => {
    const error = await messageOf(await h.client().fetch("/api/end-users/lookup?sourceId=anyone"));
    expect(error.message).toBe("Sign in, or send a valid service token.");
  });

  it("tell a signed-in operator who also sends a wrong bearer token that the token is wrong, not to sign in", async () => {
    const operator = await h.operator();
    const response = await operator.fetch("/api/end-users/lookup?sourceId=anyone", {
      headers: { authorization: "Bearer not-a-valid-service-token-0123456789abcdef" },
    });
    const error = await messageOf(response);
    expect(error.message).toBe(
      "The bearer token is not a valid service token. Send a valid one; signed in, leave the Authorization header out, as it decides alone.",
    );
    // Another scheme is no bearer token: the route's own request for credentials.
    const basic = await operator.fetch("/api/end-users/lookup?sourceId=anyone", {
      headers: { authorization: "Basic b3BzOnNlY3JldA==" },
    });
    expect((await messageOf(basic)).message).toBe("Sign in, or send a valid service token.");
  });

  it("ask a signed-in operator calling the cron route for the cron secret, not for a sign-in", async () => {
    const operator = await h.operator();
    const error = await messageOf(await operator.fetch("/api/cron/reconcile"));
    expect(error.message).toBe("Send the cron secret as a bearer token.");
  });
});
