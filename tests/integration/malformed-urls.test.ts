/**
 * Addresses that cannot be decoded: a path segment whose percent-encoding is not UTF-8 answers
 * 400 in the error envelope on every dynamic route and page, whatever the method, signed in or
 * not, prefetch or not; a callbackUrl holding a line break or NUL never makes an answer fail.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { h, type HttpClient } from "../support/harness";

const BAD = ["%", "%ff", "%c0%80", "%E0%A4%A", "%ED%A0%80", "x%zz"];

const DYNAMIC = [
  "/api/end-users/{}",
  "/api/end-users/{}/auth-sessions",
  "/api/end-users/{}/connect-link",
  "/api/end-users/{}/connection",
  "/api/end-users/{}/connection/check",
  "/api/end-users/{}/providers/altur",
  "/api/end-users/end_usr_x/providers/{}",
  "/api/end-users/x/providers/altur/{}",
  "/api/end-users{}",
  "/api/audit.csv{}",
  "/api/end-users/lookup{}",
  "/api/auth/{}",
  "/api/auth/signin/{}",
  "/end-users/{}",
  "/sandbox/conductor/connect/qbd/{}",
  "/{}",
  "/onboarding/{}",
];

let operator: HttpClient;

beforeAll(async () => {
  operator = await h.operator();
});

async function expectBadPath(response: Response, path: string) {
  const text = await response.text();
  let body: { error?: { code?: string } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // compared below
  }
  expect({
    path,
    status: response.status,
    code: body.error?.code,
    cacheControl: response.headers.get("cache-control"),
  }).toEqual({ path, status: 400, code: "invalid_request", cacheControl: "no-store" });
}

describe("malformed percent-encoding in the path", () => {
  for (const template of DYNAMIC) {
    it(`${template} with each malformed escape → 400 in the envelope, anonymous and as the operator`, async () => {
      for (const bad of BAD) {
        const path = template.replace("{}", bad);
        await expectBadPath(await h.client().fetch(path), path);
        await expectBadPath(await operator.fetch(path), path);
      }
    });
  }

  it("every method on a dynamic route gets the same 400", async () => {
    for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]) {
      const response = await operator.fetch("/api/end-users/%ff/providers/altur", {
        method,
        headers: { "content-type": "application/json" },
        body: ["GET", "HEAD"].includes(method) ? undefined : "{}",
      });
      expect({ method, status: response.status }).toEqual({ method, status: 400 });
      await response.arrayBuffer();
    }
  });

  it("a prefetch of a page with a malformed path gets the same 400", async () => {
    const prefetches: Record<string, string>[] = [{ "next-router-prefetch": "1", rsc: "1" }, { purpose: "prefetch" }];
    for (const headers of prefetches) {
      await expectBadPath(await operator.fetch("/end-users/%ff", { headers }), "/end-users/%ff");
    }
  });

  it("a well-formed escape still reaches the route (the control): an unknown id is 404, not 400", async () => {
    const response = await operator.fetch("/api/end-users/end_usr_%41bc");
    expect(response.status).toBe(404);
    await response.arrayBuffer();
  });
});

describe("control characters in callbackUrl", () => {
  const values = ["%0A", "%0D", "%00", "/%0A", "/x%0D%0ASet-Cookie:%20a=b", "/%00", "%0A//evil.example"];

  it.each(values)("callbackUrl=%s never makes sign-in fail (signed out, signed in, next-auth)", async (value) => {
    const signedIn = await h.signIn(h.uniqueEmail("ctrl-callback"));
    const paths = [
      `/signin?callbackUrl=${value}`,
      `/api/auth/signin?callbackUrl=${value}`,
      `/api/auth/signout?callbackUrl=${value}`,
      `/api/auth/session?callbackUrl=${value}`,
      `/api/auth/csrf?callbackUrl=${value}`,
      `/api/auth/providers?callbackUrl=${value}`,
      `/api/auth/error?callbackUrl=${value}`,
    ];
    for (const client of [h.client(), signedIn]) {
      for (const path of paths) {
        const response = await client.fetch(path);
        await response.arrayBuffer();
        expect({ path, status: response.status }).toEqual({ path, status: expect.any(Number) });
        expect({ path, failed: response.status >= 500 }).toEqual({ path, failed: false });
        const location = response.headers.get("location");
        if (location) expect(new URL(location, h.stack.appOrigin).origin).toBe(h.stack.appOrigin);
        expect(response.headers.getSetCookie().join("\n")).not.toMatch(/a=b/);
      }
    }
  });
});
