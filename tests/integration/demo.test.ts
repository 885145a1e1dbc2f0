/**
 * `npm run demo` with no configuration: embedded Postgres, sandbox Conductor/Altur/Dify, the
 * sandbox mailbox, a Sandbox badge; a newcomer goes from sign-in to a connected QuickBooks
 * Desktop; data written before a restart is there after it. Bad configuration stops it before
 * anything starts, naming the variable.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { TEST_DIST_DIR } from "../support/app-server";
import { h } from "../support/harness";
import { baseEnv, freePort, spawnProcess, type Spawned } from "../support/processes";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "conductor-demo-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function runDemo(env: Record<string, string>): Spawned {
  return spawnProcess(process.execPath, ["--import", "tsx", "lib/cli/demo.ts"], {
    env: { ...baseEnv(), NODE_ENV: "production", NEXT_DIST_DIR: TEST_DIST_DIR, NEXT_TELEMETRY_DISABLED: "1", ...env },
  });
}

async function until(condition: () => boolean, what: () => string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Signs `email` in through the sandbox mailbox, as a visitor of the demo does. */
async function signIn(origin: string, email: string) {
  const client = h.client(origin);
  const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  await client.fetch("/api/auth/signin/email", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, callbackUrl: `${origin}/onboarding`, json: "true" }),
  });
  const mailbox = await (await fetch(`${origin}/sandbox/mailbox`)).text();
  const link = /href="([^"]*\/signin\/confirm[^"]*)"/.exec(mailbox)?.[1]?.replaceAll("&amp;", "&");
  expect(link).toBeDefined();
  expect((await h.followSignInLink(client, link!)).status).toBe(302);
  return client;
}

async function startDemo(port: number, env: Record<string, string> = {}) {
  const started = Date.now();
  const demo = runDemo({ PORT: String(port), DATA_DIR: dataDir, ...env });
  onTestFinished(() => demo.stop());
  await until(() => /Ready in [\d.]+ s/.test(demo.output()) || demo.child.exitCode !== null, demo.output);
  expect(demo.child.exitCode, demo.output()).toBeNull();
  return { demo, seconds: (Date.now() - started) / 1000 };
}

describe("npm run demo", () => {
  it("serves the app with everything sandboxed, goes from sign-in to Connected, and keeps its data across a restart", async () => {
    const port = await freePort();
    const first = await startDemo(port);
    console.log(`demo healthy ${first.seconds.toFixed(1)} s after start (fresh data directory)`);
    const origin = `http://localhost:${port}`;
    expect(first.demo.output()).toContain(`http://localhost:${port}`);
    // Printed just after the "Ready in" line, possibly in a later chunk of output.
    await expect
      .poll(first.demo.output, { timeout: 5_000 })
      .toMatch(/Sandboxed: database \(embedded PGlite\), Conductor, Altur, Dify, mail \(sandbox mailbox\)/);

    const health = await h.fetch(`${origin}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      ok: true,
      database: "ok",
      conductor: "sandbox",
      down: [],
      parts: {
        database: { status: "ok", mode: "embedded" },
        rateLimitStore: { status: "ok", store: "postgres" },
        mail: { status: "ok", mode: "sandbox-mailbox" },
        // Nothing asked the sandbox Conductor yet.
        conductor: { status: "unknown", mode: "sandbox" },
      },
    });
    const landing = await (await fetch(origin)).text();
    expect(landing).toContain("Sandbox");
    expect(landing).toContain('data-testid="sandbox-badge"');

    const client = await signIn(origin, "demo@example.com");
    expect(first.demo.output()).toMatch(/"event":"sandbox.mailbox","to":"demo@example.com"/);
    const created = await client.json("/api/end-users", { companyName: "Demo Company" });
    expect(created.status).toBe(201);
    const { endUser } = (await created.json()) as { endUser: { id: string } };

    // Connect QuickBooks Desktop through the sandbox flow, which the app serves itself.
    const opened = await client.json(`/api/end-users/${endUser.id}/auth-sessions`, {});
    expect(opened.status).toBe(201);
    const { authSession } = (await opened.json()) as { authSession: { authFlowUrl: string; redirectUrl: string } };
    expect(authSession.authFlowUrl).toMatch(new RegExp(`^${origin}/sandbox/conductor/connect/qbd/`));
    expect(authSession.redirectUrl).toMatch(
      new RegExp(`^${origin}/onboarding/connected\\?endUser=${endUser.id}&until=\\d{10}&proof=[A-Za-z0-9_-]{32}$`),
    );
    const flow = await client.fetch(authSession.authFlowUrl);
    expect(flow.status).toBe(200);
    const flowHtml = await flow.text();
    expect(flowHtml).toContain("simulates Conductor's QuickBooks Desktop setup");
    // Clean under the page's Content-Security-Policy: its one style block carries the response's nonce.
    const nonce = /'nonce-([^']+)'/.exec(flow.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeDefined();
    expect(flowHtml.match(/<style[^>]*>/g)).toEqual([`<style nonce="${nonce}">`]);
    expect(flowHtml).not.toMatch(/<script|\sstyle="/);
    // A method the page does not take is refused with what it does take (RFC 9110), not a bare 405.
    const put = await client.fetch(authSession.authFlowUrl, { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")?.split(", ").sort()).toEqual(["GET", "HEAD", "OPTIONS", "POST"]);
    const completed = await client.fetch(authSession.authFlowUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ decision: "complete" }),
    });
    expect(completed.status).toBe(303);
    expect(completed.headers.get("location")).toBe(authSession.redirectUrl);
    const back = (await (await client.fetch("/onboarding/connected")).text()).replaceAll("<!-- -->", "");
    expect(back).toContain("Connected. Your QuickBooks Desktop answered Conductor");

    // The emailed link lands in the sandbox mailbox, under its subject.
    expect((await client.json(`/api/end-users/${endUser.id}/connect-link`, {})).status).toBe(202);
    const mails = await (await fetch(`${origin}/sandbox/mailbox`)).text();
    expect(mails).toMatch(
      new RegExp(
        `<a href="${origin}/sandbox/conductor/connect/qbd/[^"]+">Connect QuickBooks Desktop for Demo Company</a>`,
      ),
    );
    // A creation that is the last write before the stop is on disk too.
    const last = await signIn(origin, "last-write@example.com");
    const lastCreated = await last.json("/api/end-users", { companyName: "Last Write Co" });
    expect(lastCreated.status).toBe(201);
    const lastId = ((await lastCreated.json()) as { endUser: { id: string } }).endUser.id;
    await first.demo.stop();

    const second = await startDemo(port);
    console.log(`demo healthy ${second.seconds.toFixed(1)} s after a restart`);
    const cached = await client.fetch(`/api/end-users/${endUser.id}?cache=only`);
    expect(cached.status).toBe(200);
    expect((await cached.json()).endUser).toMatchObject({ id: endUser.id, companyName: "Demo Company" });
    const lastCached = await last.fetch(`/api/end-users/${lastId}?cache=only`);
    expect(lastCached.status).toBe(200);
    expect((await lastCached.json()).endUser).toMatchObject({ id: lastId, companyName: "Last Write Co" });
    const fresh = await (await client.fetch(`/api/end-users/${endUser.id}`)).json();
    expect(fresh).toMatchObject({ fresh: true, endUser: { id: endUser.id, connection: { status: "connected" } } });
    // The sandbox kept the used session too: its link cannot connect twice.
    const reused = await client.fetch(authSession.authFlowUrl);
    expect(reused.status).toBe(410);
    expect(await reused.text()).toContain("This setup link was already used");
    await second.demo.stop();
  });

  it("keeps concurrent requests apart on the embedded database (each answers for its own query, none fails), and searches it", async () => {
    const port = await freePort();
    const cronSecret = "demo-cron-secret-0123456789";
    const { demo } = await startDemo(port, { CRON_SECRET: cronSecret, ADMIN_EMAILS: "ops@example.com" });
    const origin = `http://localhost:${port}`;
    const client = await signIn(origin, "concurrent@example.com");
    const created = await client.json("/api/end-users", { companyName: "Concurrent Company" });
    expect(created.status).toBe(201);
    const { endUser } = (await created.json()) as { endUser: { id: string } };

    // Each request runs its own statements (the reconcile job many, some in transactions), with
    // its own parameters, at the same time as the others.
    const cron = { authorization: `Bearer ${cronSecret}` };
    const requests = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0
        ? { path: "/api/cron/reconcile", headers: cron, status: 200, holds: '"upstream":' }
        : i % 3 === 1
          ? { path: `/api/end-users/${endUser.id}?cache=only`, headers: {}, status: 200, holds: "Concurrent Company" }
          : {
              path: `/api/end-users/end_usr_missing${i}?cache=only`,
              headers: {},
              status: 404,
              holds: "end_user_not_found",
            },
    );
    const answers = await Promise.all(
      requests.map(async ({ path, headers }) => {
        const response = await client.fetch(path, { headers });
        return { status: response.status, body: await response.text() };
      }),
    );
    for (const [i, answer] of answers.entries()) {
      expect(answer.status, `${requests[i]!.path}: ${answer.body}`).toBe(requests[i]!.status);
      expect(answer.body).toContain(requests[i]!.holds);
    }
    expect(demo.output()).not.toContain('"request.failed"');

    // A search on the embedded database, answered from its matches alone (one row matches).
    const operator = await signIn(origin, "ops@example.com");
    const search = await operator.fetch(`/api/end-users?q=${encodeURIComponent("concurrent comp")}`);
    expect(((await search.json()) as { data: { id: string }[] }).data.map((row) => row.id)).toEqual([endUser.id]);
  });

  it.each([
    ["DATABASE_URL=nonsense", { DATABASE_URL: "nonsense" }, "DATABASE_URL"],
    ["CONDUCTOR_SECRET_KEY=wrong-shape", { CONDUCTOR_SECRET_KEY: "wrong-shape" }, "CONDUCTOR_SECRET_KEY"],
    ["VERCEL=1 with no DATABASE_URL", { VERCEL: "1" }, "DATABASE_URL"],
  ])("refuses %s at once, naming the variable", async (_label, env, name) => {
    const demo = runDemo({ PORT: String(await freePort()), DATA_DIR: dataDir, ...env });
    const code = await demo.exited;
    expect(code).not.toBe(0);
    expect(demo.output()).toContain("Invalid environment configuration");
    expect(demo.output()).toMatch(new RegExp(`- ${name} `));
  });
});
