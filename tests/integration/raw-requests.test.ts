/**
 * What reaches the server that Next.js cannot serve is answered before Next.js sees it
 * (lib/platform/raw-request-guard.ts), in the error envelope with the security headers, and
 * nothing of it reaches the log as a failure.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { abandonRequest, rawExchange, serverClosesHalfOpen, type RawAnswer } from "../support/raw-http";

const host = () => new URL(h.stack.appOrigin).host;
/** `requestLine` and `headers` sent to the server at `origin`, with `hostHeader` as its Host. */
const exchangeWith = (origin: string, hostHeader: string, requestLine: string, headers: string[] = []) =>
  rawExchange(origin, [requestLine, `Host: ${hostHeader}`, ...headers, "Connection: close", "", ""].join("\r\n"));
const exchange = (requestLine: string, headers: string[] = []) =>
  exchangeWith(h.stack.appOrigin, host(), requestLine, headers);

function expectGuarded(answer: RawAnswer) {
  expect(answer.headers["cache-control"]).toBe("no-store");
  expect(answer.headers["strict-transport-security"]).toContain("max-age=");
  expect(answer.headers["x-frame-options"]).toBe("DENY");
  expect(answer.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(answer.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
}

/** The app's log from `offset` on, once a request made after those above has been answered. */
async function logSince(offset: number): Promise<string> {
  await h.client().fetch("/api/health");
  return readFileSync(h.stack.appLogFile, "utf8").slice(offset);
}

const logLength = () => readFileSync(h.stack.appLogFile, "utf8").length;

describe("a request target that is not a path", () => {
  it.each([
    ["GET http://evil.example/end-users HTTP/1.1"],
    ["GET https://evil.example:8443/signin HTTP/1.1"],
    ["GET * HTTP/1.1"],
    ["HEAD * HTTP/1.1"],
  ])("answers `%s` with 400 in the envelope, redirecting nowhere and logging no stack trace", async (line) => {
    const offset = logLength();
    const answer = await exchange(line);
    expect(answer.status).toBe(400);
    expect(answer.headers.location).toBeUndefined();
    expectGuarded(answer);
    if (!line.startsWith("HEAD"))
      expect(JSON.parse(answer.body)).toEqual({
        error: {
          code: "invalid_request",
          message: "The request target is not a path.",
          fields: { target: ["must be a path, such as /api/health"] },
        },
      });
    const log = await logSince(offset);
    expect(log).not.toContain("Invalid URL");
    expect(log).not.toMatch(/\n\s+at /);
  });

  it("serves a full URL naming this server as its path (RFC 9112 asks servers to take that form)", async () => {
    const answer = await exchange(`GET ${h.stack.appOrigin}/api/health HTTP/1.1`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true });
  });

  it("answers `OPTIONS *` (the server's own options) with 204 and the methods it serves", async () => {
    const answer = await exchange("OPTIONS * HTTP/1.1");
    expect(answer.status).toBe(204);
    expect(answer.headers.allow?.split(", ").sort()).toEqual([
      "DELETE",
      "GET",
      "HEAD",
      "OPTIONS",
      "PATCH",
      "POST",
      "PUT",
    ]);
  });
});

describe("OPTIONS on a page", () => {
  it.each(["/", "/onboarding", "/signin"])(
    "%s: 204 with what pages take, where Next.js answers an empty 400",
    async (path) => {
      const answer = await exchange(`OPTIONS ${path} HTTP/1.1`);
      expect(answer.status).toBe(204);
      expect(answer.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
    },
  );
});

describe("PUT, PATCH or DELETE on a page", () => {
  it.each([
    ["PUT", "/"],
    ["PATCH", "/onboarding"],
    ["DELETE", "/end-users?q=acme"],
  ])(
    "%s %s: 405 in the envelope with what pages take, where Next.js rendered the page as for a GET",
    async (method, path) => {
      const answer = await exchange(`${method} ${path} HTTP/1.1`);
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
      expect(JSON.parse(answer.body).error).toEqual({
        code: "method_not_allowed",
        message: `Pages take GET, HEAD and POST (a form's action), not ${method}.`,
      });
      expectGuarded(answer);
    },
  );
});

describe("an API request that carries a page's RSC header", () => {
  it("gets the route's own answer once it follows Next.js's redirect to the address with _rsc", async () => {
    const headers = { authorization: `Bearer ${h.stack.serviceTokens[0]}`, rsc: "1" };
    const url = `${h.stack.appOrigin}/api/end-users/lookup?sourceId=nobody-rsc`;
    const first = await fetch(url, { headers, redirect: "manual" });
    const followed =
      first.status === 307 ? await fetch(new URL(first.headers.get("location")!, url), { headers }) : first;
    expect(followed.status).toBe(404);
    expect((await followed.json()).error.code).toBe("end_user_not_found");
  });
});

describe("a __proto__ query parameter on an API route", () => {
  it.each(["/api/end-users", "/./api/end-users", "/x/../api/end-users", "/api/./end-users"])(
    "%s?__proto__=1 is refused as unknown, dot segments or not",
    async (path) => {
      const answer = await exchange(`GET ${path}?__proto__=1 HTTP/1.1`);
      expect(answer.status).toBe(400);
      const { fields } = JSON.parse(answer.body).error as { fields: Record<string, string[]> };
      expect(Object.entries(fields)).toEqual([["__proto__", ["is not a known field"]]]);
    },
  );
});

describe("a method no route takes", () => {
  it("is refused with every security header, as any other answer", async () => {
    const answer = await exchange("PROPFIND /audit HTTP/1.1");
    expect(answer.status).toBe(501);
    expectGuarded(answer);
  });

  it("answers CONNECT, which Node.js hands to a proxy's listener, with 501 in the envelope rather than closing the connection", async () => {
    const answer = await exchange("CONNECT example.com:443 HTTP/1.1");
    expect(answer.status).toBe(501);
    expectGuarded(answer);
    expect(JSON.parse(answer.body).error).toEqual({
      code: "method_not_implemented",
      message: "This server does not take CONNECT requests.",
    });
  });

  it("closes a CONNECT's connection soon after answering, even when the client keeps its half open", async () => {
    const request = ["CONNECT example.com:443 HTTP/1.1", `Host: ${host()}`, "", ""].join("\r\n");
    expect(await serverClosesHalfOpen(h.stack.appOrigin, request, 3_000)).toBe(true);
  });
});

describe("more than one Authorization header", () => {
  it.each([
    ["the valid token first", 0],
    ["the valid token last", 1],
  ])("is refused with 400 naming it, %s, where Node.js would keep only the first", async (_label, validAt) => {
    const valid = `Authorization: Bearer ${h.stack.serviceTokens[0]}`;
    const junk = "Authorization: Bearer junk";
    const answer = await exchange(
      "GET /api/end-users/lookup?sourceId=anyone HTTP/1.1",
      validAt === 0 ? [valid, junk] : [junk, valid],
    );
    expect(answer.status).toBe(400);
    expectGuarded(answer);
    expect(JSON.parse(answer.body).error).toMatchObject({
      code: "invalid_request",
      fields: { authorization: ["must be sent once"] },
    });
  });
});

describe("more than one Host header", () => {
  it("is refused with 400 naming it, as RFC 9112 asks, even when the first names this server", async () => {
    const answer = await exchange("GET /api/health HTTP/1.1", ["Host: evil.example"]);
    expect(answer.status).toBe(400);
    expectGuarded(answer);
    expect(JSON.parse(answer.body).error).toEqual({
      code: "invalid_request",
      message: "The request has more than one Host header.",
      fields: { host: ["must be sent once"] },
    });
  });
});

describe("what Node.js's HTTP parser refuses", () => {
  it("answers headers over the size limit with 431 in the envelope, not an empty answer", async () => {
    const answer = await exchange("GET /api/health HTTP/1.1", [`X-Padding: ${"x".repeat(20_000)}`]);
    expect(answer.status).toBe(431);
    expectGuarded(answer);
    expect(JSON.parse(answer.body).error.code).toBe("headers_too_large");
  });

  it("answers a method it does not know at all (TRACK) with 400 in the envelope", async () => {
    const answer = await exchange("TRACK / HTTP/1.1");
    expect(answer.status).toBe(400);
    expectGuarded(answer);
    expect(JSON.parse(answer.body).error.code).toBe("invalid_request");
  });

  it("answers an HTTP/1.1 request without a Host header with 400 in the envelope naming it, and serves HTTP/1.0 without one", async () => {
    const noHost = (version: string) =>
      rawExchange(h.stack.appOrigin, [`GET /api/health HTTP/${version}`, "Connection: close", "", ""].join("\r\n"));
    const refused = await noHost("1.1");
    expect(refused.status).toBe(400);
    expectGuarded(refused);
    expect(JSON.parse(refused.body).error).toMatchObject({
      code: "invalid_request",
      fields: { host: expect.any(Array) },
    });
    expect((await noHost("1.0")).status).toBe(200);
  });

  it("answers malformed framing with 400 in the envelope", async () => {
    const answer = await exchange("POST /api/end-users HTTP/1.1", ["Content-Length: 5", "Content-Length: 6"]);
    expect(answer.status).toBe(400);
    expectGuarded(answer);
    expect(JSON.parse(answer.body).error.code).toBe("invalid_request");
  });
});

describe("a client that leaves before its body arrives", () => {
  it.each([
    ["next-auth's sign-in", "/api/auth/signin/email", "application/x-www-form-urlencoded", "email=a"],
    ["a JSON route", "/api/end-users", "application/json", '{"companyName":'],
  ])("is not reported as a database outage (%s)", async (_label, path, type, partial) => {
    const client = await h.signIn(h.uniqueEmail("leaves"));
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const offset = logLength();
    const before = await h.writes();
    await abandonRequest(
      h.stack.appOrigin,
      [
        `POST ${path} HTTP/1.1`,
        `Host: ${host()}`,
        `Origin: ${h.stack.appOrigin}`,
        `Cookie: ${cookie}`,
        `Content-Type: ${type}`,
        "Content-Length: 1000",
      ].join("\r\n"),
      partial,
    );
    // The request fails as the server notices the socket close: give it the time to.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const log = await logSince(offset);
    expect(log).not.toContain("database.unavailable");
    expect(log).not.toContain('"level":"error"');
    expect(await h.writes()).toEqual(before);
  });
});

describe("the host a client names in x-forwarded-host, with no proxy trusted in front", () => {
  it("is not believed: a server action posted from another origin that names that origin's host is refused, and one from this site still runs", async () => {
    const app = await h.startApp({ TRUST_PROXY_HEADERS: null });
    const email = h.uniqueEmail("forwarded-host");
    const client = await h.signIn(email, app.origin);
    const onboard = (headers: Record<string, string>) =>
      h.actions.call(
        client,
        "/onboarding",
        h.actions.id("app/onboarding/actions.ts", "onboardAction"),
        {
          companyName: "Forwarded Host Co",
        },
        { previousState: h.actions.idleState, as: "text", headers },
      );
    const since = Date.now();
    const forged = await onboard({ Origin: "https://evil.example", "x-forwarded-host": "evil.example" });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body).error.code).toBe("forbidden");
    expect(await h.emulator.calls({ provider: "conductor", since })).toEqual([]);
    expect(await h.cachedCount(await h.userIdFor(email))).toBe(0);

    const own = await onboard({ Origin: app.origin, "x-forwarded-host": "evil.example" });
    expect(h.actions.formState(own.body)).toMatchObject({ status: "success" });
    expect(await h.cachedCount(await h.userIdFor(email))).toBe(1);
  });
});

describe("a Host naming another site, on a server bound to 127.0.0.1 with no proxy in front", () => {
  it("is refused with 400 naming the host, so a page rebound to 127.0.0.1 cannot read the server as its own; loopback names and AUTH_URL's host are served", async () => {
    const app = await h.startApp({ TRUST_PROXY_HEADERS: null, AUTH_URL: "https://onboarding.example.test" });
    const get = (path: string, hostHeader: string) => exchangeWith(app.origin, hostHeader, `GET ${path} HTTP/1.1`);
    for (const [path, hostHeader] of [
      ["/api/auth/csrf", `rebind.evil.example:${app.port}`],
      ["/signin", "rebind.evil.example"],
      ["/api/health", "localhost.evil.example"],
      ["/", "a b"],
    ] as const) {
      const answer = await get(path, hostHeader);
      expect(answer.status, hostHeader).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({
        error: {
          code: "invalid_request",
          message: "This server does not answer to the host this request names.",
          fields: { host: ["is not an address of this server"] },
        },
      });
      expectGuarded(answer);
    }
    for (const hostHeader of [
      `localhost:${app.port}`,
      `LOCALHOST:${app.port}`,
      `127.0.0.1:${app.port}`,
      `[::1]:${app.port}`,
      "onboarding.example.test",
    ]) {
      expect((await get("/api/health", hostHeader)).status, hostHeader).toBe(200);
    }
    // Four refusals within a minute, one line: it tells whoever runs it behind a proxy what to set.
    expect(app.output().match(/"event":"request\.wrong_host"/g)).toHaveLength(1);
    expect(app.output()).toContain("set AUTH_URL to the address people use");
  });

  it("is served when a proxy this server trusts stands in front: the proxy decides which names reach it", async () => {
    const answer = await exchangeWith(h.stack.appOrigin, "rebind.evil.example", "GET /api/health HTTP/1.1");
    expect(answer.status).toBe(200);
  });
});
