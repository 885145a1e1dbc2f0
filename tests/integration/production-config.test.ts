/**
 * Production configuration, from the outside: `next start` on the production build refuses to
 * start half-configured on Vercel, naming what is wrong, and every response of the running app
 * carries the security headers (pages a per-request nonce CSP, JSON a closed one).
 */
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { pagePolicy } from "../support/page-policy";

const REQUIRED_ON_VERCEL = [
  "DATABASE_URL",
  "AUTH_SECRET",
  "EMAIL_SERVER",
  "CONDUCTOR_SECRET_KEY",
  "CRON_SECRET",
] as const;
const FAIL_FAST_MS = 30_000;

/** What turns the test app's configuration (h.appEnv, h.startApp) into a Vercel production deployment's. */
const vercelProduction = { VERCEL: "1", VERCEL_ENV: "production" };

/** Starts `next start` expecting a refusal; the exit must be non-zero and come before the time limit. */
async function refusal(env: Record<string, string>) {
  const started = Date.now();
  const { code, output } = await h.startAppExpectingFailure(env, FAIL_FAST_MS);
  const ms = Date.now() - started;
  expect({ exitedBeforeTimeLimit: code !== null, failed: code !== 0 }, output).toEqual({
    exitedBeforeTimeLimit: true,
    failed: true,
  });
  return { output, ms };
}

describe("production start-up on Vercel (VERCEL=1)", () => {
  it("starts with the complete environment (the control for the refusals below)", async () => {
    const app = await h.startApp(vercelProduction);
    const health = await h.fetch(`${app.origin}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      ok: true,
      database: "ok",
      conductor: "live",
      down: [],
      parts: {
        database: { status: "ok", mode: "external" },
        rateLimitStore: { status: "ok", store: "postgres" },
        mail: { status: "ok", mode: "smtp" },
        conductor: { status: "unknown", mode: "live" },
      },
    });
  });

  for (const name of REQUIRED_ON_VERCEL) {
    it(`refuses to start without ${name}, naming it`, async () => {
      const { output } = await refusal(h.appEnv({ ...vercelProduction, [name]: null }));
      expect(output).toContain("InvalidEnvironmentError");
      expect(output).toMatch(new RegExp(`\\b${name} is required on Vercel`));
      for (const other of REQUIRED_ON_VERCEL.filter((n) => n !== name))
        expect(output).not.toMatch(new RegExp(`\\b${other} is required`));
    });
  }

  it("refuses with one message naming every missing variable when VERCEL=1 is all there is", async () => {
    const { output } = await refusal(vercelProduction);
    for (const name of REQUIRED_ON_VERCEL) expect(output).toMatch(new RegExp(`\\b${name} is required on Vercel`));
    expect(output.match(/Invalid environment configuration:/g)?.length).toBeGreaterThanOrEqual(1);
  });

  it("refuses DATABASE_URL=nonsense, naming DATABASE_URL and not echoing other values", async () => {
    const env = h.appEnv({ ...vercelProduction, DATABASE_URL: "nonsense" });
    const { output } = await refusal(env);
    expect(output).toMatch(/\bDATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(output).not.toContain(env.CONDUCTOR_SECRET_KEY!);
    expect(output).not.toContain(env.AUTH_SECRET!);
  });

  it("refuses a live CONDUCTOR_SECRET_KEY without CONDUCTOR_PUBLISHABLE_KEY, naming it", async () => {
    const { output } = await refusal(h.appEnv({ ...vercelProduction, CONDUCTOR_PUBLISHABLE_KEY: null }));
    expect(output).toMatch(/\bCONDUCTOR_PUBLISHABLE_KEY is required with a live CONDUCTOR_SECRET_KEY/);
  });

  it("refuses a publishable key of the wrong shape, naming CONDUCTOR_PUBLISHABLE_KEY", async () => {
    const { output } = await refusal(h.appEnv({ ...vercelProduction, CONDUCTOR_PUBLISHABLE_KEY: "sk_conductor_oops" }));
    expect(output).toMatch(/\bCONDUCTOR_PUBLISHABLE_KEY must start with pk_/);
    expect(output).not.toContain("sk_conductor_oops");
  });

  it("refuses CONDUCTOR_SECRET_KEY=wrong-shape, naming CONDUCTOR_SECRET_KEY", async () => {
    const { output } = await refusal(h.appEnv({ ...vercelProduction, CONDUCTOR_SECRET_KEY: "wrong-shape" }));
    expect(output).toMatch(/\bCONDUCTOR_SECRET_KEY must start with sk_/);
  });

  it("refuses the sandbox Conductor in production even when CONDUCTOR_SANDBOX=1 asks for it", async () => {
    const { output } = await refusal(
      h.appEnv({ ...vercelProduction, CONDUCTOR_SECRET_KEY: null, CONDUCTOR_SANDBOX: "1" }),
    );
    expect(output).toMatch(/\bCONDUCTOR_SECRET_KEY is required on Vercel/);
  });

  it("refuses CONDUCTOR_SANDBOX=1 in production next to a live key, naming CONDUCTOR_SANDBOX", async () => {
    const { output } = await refusal(h.appEnv({ ...vercelProduction, CONDUCTOR_SANDBOX: "1" }));
    expect(output).toMatch(/\bCONDUCTOR_SANDBOX must not be set on Vercel production/);
  });

  it.each([
    ["without a key", null],
    ["even with a key set for every environment", undefined],
  ])(
    "lets a preview deployment opt into the sandbox Conductor with CONDUCTOR_SANDBOX=1 %s, and labels it",
    async (_label, key) => {
      const app = await h.startApp({
        ...vercelProduction,
        ...(key === null ? { CONDUCTOR_SECRET_KEY: null } : {}),
        VERCEL_ENV: "preview",
        CONDUCTOR_SANDBOX: "1",
      });
      expect(await (await h.fetch(`${app.origin}/api/health`)).json()).toMatchObject({
        ok: true,
        conductor: "sandbox",
      });
      const home = await (await fetch(`${app.origin}/`)).text();
      expect(home).toContain('data-testid="sandbox-badge"');
      expect(home).not.toContain("/sandbox/mailbox");
    },
  );
});

describe("the Sandbox badge", () => {
  it("is shown to operators only when Altur and Dify alone are sandboxed: customers never use them", async () => {
    const app = await h.startApp({
      ALTUR_API_KEY: null,
      ALTUR_BASE_URL: null,
      DIFY_API_KEY: null,
      DIFY_BASE_URL: null,
    });
    const customer = await h.signIn(h.uniqueEmail("badge-customer"), app.origin);
    for (const page of ["/", "/onboarding"]) {
      expect(await (await customer.fetch(page)).text()).not.toContain('data-testid="sandbox-badge"');
    }
    expect(await (await fetch(`${app.origin}/`)).text()).not.toContain('data-testid="sandbox-badge"');
    const operator = await h.signIn(h.stack.operatorEmail, app.origin);
    const list = await (await operator.fetch("/end-users")).text();
    expect(list).toContain('data-testid="sandbox-badge"');
    expect(list).toContain('title="Sandboxed: Altur, Dify"');
    // The landing page's notice names what is live too: this server's database, Conductor and mail.
    const home = (await (await operator.fetch("/")).text()).replaceAll("<!-- -->", "");
    expect(home).toContain(
      "These parts are simulated on this server: Altur, Dify. These are live: database (Postgres), Conductor, mail (EMAIL_SERVER).",
    );
    expect(home).not.toContain("Nothing reaches the real services");
  });
});

describe("the sandbox mailbox", () => {
  /** A self-hosted server with a database and nothing else: what turns the mailbox on. */
  const bare = () =>
    h.appEnv({
      EMAIL_SERVER: null,
      EMAIL_FROM: null,
      CONDUCTOR_SECRET_KEY: null,
      CONDUCTOR_PUBLISHABLE_KEY: null,
      CONDUCTOR_BASE_URL: null,
    });

  it("refuses to start on every interface without EMAIL_SERVER, naming it", async () => {
    const started = Date.now();
    const { code, output } = await h.startAppExpectingFailure(bare(), FAIL_FAST_MS, null);
    expect({ exitedBeforeTimeLimit: code !== null, failed: code !== 0 }, output).toEqual({
      exitedBeforeTimeLimit: true,
      failed: true,
    });
    expect(Date.now() - started).toBeLessThan(FAIL_FAST_MS);
    expect(output).toContain("InvalidEnvironmentError");
    expect(output).toMatch(/\bEMAIL_SERVER is required when the server listens on every interface/);
  });

  it("refuses to start on a public address given with -H, naming EMAIL_SERVER", async () => {
    const { code, output } = await h.startAppExpectingFailure(bare(), FAIL_FAST_MS, "0.0.0.0");
    expect(code === null || code === 0, output).toBe(false);
    expect(output).toMatch(/\bEMAIL_SERVER is required when the server listens on 0\.0\.0\.0/);
  });

  it("refuses to start on every interface without AUTH_URL, whose sign-in links would point at localhost", async () => {
    const { code, output } = await h.startAppExpectingFailure(h.appEnv({ AUTH_URL: null }), FAIL_FAST_MS, null);
    expect(code === null || code === 0, output).toBe(false);
    expect(output).toMatch(/\bAUTH_URL is required when the server listens on every interface/);
    expect(output).not.toMatch(/EMAIL_SERVER is required/);
  });

  it("refuses a live server bound to 127.0.0.1 (behind a reverse proxy) without AUTH_URL, whose customers' links would point at localhost; or with CONDUCTOR_SANDBOX=1 beside its key; or without DATABASE_URL, or with only DATABASE_URL_UNPOOLED", async () => {
    const cases = [
      [{ AUTH_URL: null }, /\bAUTH_URL is required on a production server with a live CONDUCTOR_SECRET_KEY/],
      [{ CONDUCTOR_SANDBOX: "1" }, /\bCONDUCTOR_SANDBOX must not be set next to a live CONDUCTOR_SECRET_KEY/],
      [{ DATABASE_URL: null }, /\bDATABASE_URL is required on a production server with a live CONDUCTOR_SECRET_KEY/],
      [
        { DATABASE_URL: null, DATABASE_URL_UNPOOLED: h.stack.appEnv.DATABASE_URL! },
        /\bDATABASE_URL is required when DATABASE_URL_UNPOOLED is set/,
      ],
    ] as const;
    for (const [overrides, problem] of cases) {
      const { output } = await refusal(h.appEnv(overrides));
      expect(output).toContain("InvalidEnvironmentError");
      expect(output).toMatch(problem);
    }
  });

  it("serves the mailbox on a server bound to 127.0.0.1, as npm run demo is (the control)", async () => {
    const app = await h.startApp({
      EMAIL_SERVER: null,
      EMAIL_FROM: null,
      CONDUCTOR_SECRET_KEY: null,
      CONDUCTOR_PUBLISHABLE_KEY: null,
      CONDUCTOR_BASE_URL: null,
    });
    const mailbox = await fetch(`${app.origin}/sandbox/mailbox`);
    expect(mailbox.status).toBe(200);
    expect(await mailbox.text()).toContain("Sandbox mailbox");
  });
});

describe("security headers on every response of next start", () => {
  const pages = [
    { path: "/", status: 200 },
    { path: "/signin", status: 200 },
    { path: "/onboarding", status: 307 }, // anonymous: redirected to sign in
    { path: "/no-such-page", status: 404 },
  ];
  const apis = [
    { path: "/api/health", status: 200 },
    { path: "/api/end-users", status: 401 },
    { path: "/api/no-such-route", status: 404 },
  ];

  async function get(path: string) {
    return fetch(new URL(path, h.stack.appOrigin), { redirect: "manual" });
  }

  function expectCommonHeaders(response: Response, path: string) {
    const headers = Object.fromEntries(
      ["strict-transport-security", "x-content-type-options", "referrer-policy", "x-frame-options"].map((name) => [
        name,
        response.headers.get(name),
      ]),
    );
    expect({ path, ...headers }).toEqual({
      path,
      "strict-transport-security": expect.stringMatching(/^max-age=\d{8,}; includeSubDomains/),
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "x-frame-options": "DENY",
    });
  }

  for (const { path, status } of pages) {
    it(`page ${path} (${status}) carries HSTS, nosniff, Referrer-Policy, X-Frame-Options: DENY and exactly our nonce CSP`, async () => {
      const response = await get(path);
      expect(response.status).toBe(status);
      expectCommonHeaders(response, path);
      const csp = response.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      // The whole policy, every directive and token.
      expect(csp.split("; ")).toEqual(pagePolicy(nonce!));
      await response.arrayBuffer();
    });
  }

  it("gives every page script and inline style the nonce of its own response's CSP (no style attributes), and a fresh nonce per response", async () => {
    const nonces: string[] = [];
    for (const path of ["/", "/signin", "/signin"]) {
      const response = await get(path);
      const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
      expect(nonce).toBeDefined();
      nonces.push(nonce!);
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts)
        expect({ path, tag, nonce: /\bnonce="([^"]+)"/.exec(tag)?.[1] }).toEqual({ path, tag, nonce });
      // style-src has no 'unsafe-inline': inline <style> needs the nonce, and style attributes would be blocked.
      for (const tag of html.match(/<style\b[^>]*>/g) ?? [])
        expect({ path, tag, nonce: /\bnonce="([^"]+)"/.exec(tag)?.[1] }).toEqual({ path, tag, nonce });
      expect(html.match(/<[^>]+\sstyle="[^"]*"/g) ?? []).toEqual([]);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it("gives a page asked for with a prefetch header its own policy and nonce too, never a nonce the client sent", async () => {
    const forged = { "x-nonce": "client-chosen", "content-security-policy": "script-src 'nonce-client-chosen'" };
    for (const prefetch of [{ purpose: "prefetch" }, { "next-router-prefetch": "1" }] as Record<string, string>[]) {
      const response = await h.client().fetch("/signin", { headers: { ...prefetch, ...forged } });
      const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
      expect({ prefetch, nonce }).toEqual({ prefetch, nonce: expect.any(String) });
      expect(nonce).not.toBe("client-chosen");
      expect(await response.text()).not.toContain("client-chosen");
    }
  });

  for (const { path, status } of apis) {
    it(`API ${path} (${status}) carries HSTS, nosniff, Referrer-Policy, X-Frame-Options: DENY and exactly CSP default-src 'none'`, async () => {
      const response = await get(path);
      expect(response.status).toBe(status);
      expectCommonHeaders(response, path);
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      await response.arrayBuffer();
    });
  }

  it("tells caches to keep no API answer that carries someone's data, errors included", async () => {
    const operator = await h.operator();
    const { client: customer, endUser } = await h.onboardedCustomer("no-store", "Uncached Co");
    const token = { authorization: `Bearer ${h.stack.serviceTokens[0]}` };
    const answers = [
      await operator.fetch("/api/end-users"),
      await operator.fetch(`/api/end-users/${endUser.id}?cache=only`),
      await customer.fetch(`/api/end-users/${endUser.id}`),
      await operator.fetch("/api/audit"),
      await h.client().fetch(`/api/end-users/lookup?id=${endUser.id}`, { headers: token }),
      await h.client().fetch("/api/end-users/lookup?sourceId=nobody", { headers: token }),
      await h.client().fetch("/api/end-users"),
      await h.client().fetch("/api/health"),
    ];
    expect(answers.map((a) => [a.url, a.status, a.headers.get("cache-control")])).toEqual(
      answers.map((a) => [a.url, a.status, "no-store"]),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 404, 401, 200]);
    // A document for everyone may be kept a while.
    expect((await h.client().fetch("/api/openapi.json")).headers.get("cache-control")).toBe("public, max-age=300");
  });
});
