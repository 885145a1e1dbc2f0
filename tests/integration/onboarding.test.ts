/**
 * Exactly one Conductor end-user per customer, whatever happens: concurrent submits, timeouts
 * after Conductor created it, refusals, a crash between Conductor's answer and our write.
 * Everything runs against the real app over HTTP, the sandbox Conductor over HTTP and Postgres.
 */
import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { emulator } from "../support/emulator";
import { count, sql, userIdFor } from "../support/db";
import { HttpClient, signIn, uniqueEmail } from "../support/http";

const { appOrigin, cronSecret } = inject("stack");
const SETTLE_MS = 2 * 1500;

async function customer(label: string) {
  const email = uniqueEmail(label);
  const client = await signIn(email);
  return { client, email, id: await userIdFor(email) };
}

const create = (client: HttpClient, body: unknown = { companyName: "Acme Inc." }) =>
  client.json("/api/end-users", body);

async function upstreamFor(sourceId: string) {
  const { default: Conductor } = await import("conductor-node");
  const sdk = new Conductor({ apiKey: inject("stack").secretKey, baseURL: emulator.conductorUrl(), maxRetries: 0 });
  return (await sdk.endUsers.list()).data.filter((endUser) => endUser.sourceId === sourceId);
}

const cachedFor = (sourceId: string) => count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId]);
const postsFor = async (since: number) =>
  (await emulator.calls({ provider: "conductor", method: "POST", path: "/end-users" })).filter(
    (call) => Date.parse(call.at) >= since,
  );

async function runReconcile() {
  const response = await fetch(`${appOrigin}/api/cron/reconcile`, {
    headers: { authorization: `Bearer ${cronSecret}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { claims: Record<string, number> };
}

beforeEach(() => emulator.disarm());
afterEach(() => emulator.disarm());

describe("exactly-once onboarding", () => {
  it("50 concurrent submits for one customer send exactly 1 POST and cache exactly 1 end-user", async () => {
    const { client, id } = await customer("concurrent");
    const since = Date.now();
    const responses = await Promise.all(Array.from({ length: 50 }, () => create(client)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 200 || s === 409)).toBe(true);
    const busy = responses.find((r) => r.status === 409);
    if (busy) expect((await busy.json()).error.code).toBe("onboarding_in_progress");

    expect(await postsFor(since)).toHaveLength(1);
    expect(await cachedFor(id)).toBe(1);
    expect(await upstreamFor(id)).toHaveLength(1);
    const again = await create(client);
    expect(again.status).toBe(200);
  });

  it("Conductor creates it and then never answers: reconcile finds it, no second POST, one end-user everywhere", async () => {
    const { client, id } = await customer("timeout");
    await emulator.arm({
      provider: "conductor",
      method: "POST",
      path: "/end-users",
      afterCommit: true,
      hang: true,
      times: 1,
    });
    const since = Date.now();
    const response = await create(client);
    expect(response.status).toBe(504);
    expect((await response.json()).error).toMatchObject({ code: "upstream_timeout" });
    expect(await cachedFor(id)).toBe(0);
    expect((await sql(`SELECT state FROM "OnboardingClaim" WHERE "sourceId" = $1`, [id]))[0]).toEqual({
      state: "OUTCOME_UNKNOWN",
    });

    const report = await runReconcile();
    expect(report.claims.repaired).toBeGreaterThanOrEqual(1);
    expect(await upstreamFor(id)).toHaveLength(1);
    expect(await cachedFor(id)).toBe(1);
    expect(await postsFor(since)).toHaveLength(1);
    expect(
      (await sql(`SELECT action FROM "AuditEvent" WHERE "sourceId" = $1 ORDER BY at`, [id])).map((r) => r.action),
    ).toEqual(["ONBOARDING_OUTCOME_UNKNOWN", "END_USER_REPAIRED"]);
    expect((await create(client)).status).toBe(200);
  });

  it("a customer retrying after a timeout gets the end-user Conductor created, not a second one", async () => {
    const { client, id } = await customer("retry-after-timeout");
    await emulator.arm({
      provider: "conductor",
      method: "POST",
      path: "/end-users",
      afterCommit: true,
      hang: true,
      times: 1,
    });
    const since = Date.now();
    expect((await create(client)).status).toBe(504);
    const retry = await create(client);
    expect(retry.status).toBe(200);
    expect((await retry.json()).endUser.sourceId).toBe(id);
    expect(await postsFor(since)).toHaveLength(1);
    expect(await upstreamFor(id)).toHaveLength(1);
  });

  it.each([
    [400, 400, "upstream_invalid_request"],
    [401, 502, "upstream_auth_failed"],
    [429, 429, "upstream_rate_limited"],
  ])(
    "Conductor refusing with %i → %i %s with the request id; nothing done; a retry succeeds",
    async (upstream, status, code) => {
      const { client, id } = await customer(`refused-${upstream}`);
      await emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: upstream, times: 1 });
      const response = await create(client);
      expect(response.status).toBe(status);
      const { error } = await response.json();
      expect(error).toMatchObject({ code, conductorRequestId: expect.stringMatching(/^req_/) });
      expect(error.message.length).toBeGreaterThan(10);
      const [claim] = await sql(`SELECT state, "conductorRequestId" FROM "OnboardingClaim" WHERE "sourceId" = $1`, [
        id,
      ]);
      expect(claim).toEqual({ state: "FAILED", conductorRequestId: error.conductorRequestId });
      expect(await cachedFor(id)).toBe(0);

      const page = await (await client.fetch("/onboarding")).text();
      expect(page).toContain(error.conductorRequestId);
      expect(page).toContain("Try again");

      expect((await create(client)).status).toBe(201);
      expect(await upstreamFor(id)).toHaveLength(1);
    },
  );

  it("Conductor failing with 500 → 502 with the request id; the retry looks upstream first, then creates once", async () => {
    const { client, id } = await customer("refused-500");
    await emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: 500, times: 1 });
    const since = Date.now();
    const response = await create(client);
    expect(response.status).toBe(502);
    expect((await response.json()).error).toMatchObject({
      code: "upstream_error",
      conductorRequestId: expect.stringMatching(/^req_/),
    });
    expect(await cachedFor(id)).toBe(0);

    const tooSoon = await create(client);
    expect(tooSoon.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 200));
    const retry = await create(client);
    expect(retry.status).toBe(201);
    expect((await postsFor(since)).length).toBe(2);
    expect(await upstreamFor(id)).toHaveLength(1);
    const lists = await emulator.calls({ provider: "conductor", method: "GET", path: "/end-users" });
    expect(lists.filter((call) => Date.parse(call.at) >= since).length).toBeGreaterThanOrEqual(2);
  });

  it("the database write failing after Conductor answered leaves no orphan: the next attempt records it", async () => {
    const { client, id } = await customer("db-write-fails");
    await sql(`CREATE OR REPLACE FUNCTION refuse_end_user() RETURNS trigger AS $$ BEGIN
                 IF NEW."sourceId" = '${id}' THEN RAISE EXCEPTION 'injected write failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await sql(
      `CREATE TRIGGER refuse_end_user BEFORE INSERT ON "ConductorEndUser" FOR EACH ROW EXECUTE FUNCTION refuse_end_user()`,
    );
    const since = Date.now();
    try {
      const response = await create(client);
      expect(response.status).toBe(503);
      expect((await response.json()).error.message).toMatch(/created with Conductor/);
    } finally {
      await sql(`DROP TRIGGER refuse_end_user ON "ConductorEndUser"`);
    }
    expect(await upstreamFor(id)).toHaveLength(1);
    expect(await cachedFor(id)).toBe(0);

    expect((await create(client)).status).toBe(200);
    expect(await cachedFor(id)).toBe(1);
    expect(await postsFor(since)).toHaveLength(1);
  });

  it("a crash between Conductor creating it and our write: reconcile repairs it once the lease runs out", async () => {
    const email = uniqueEmail("crash");
    const sourceId = `crash-${Date.now()}`;
    await emulator.arm({
      provider: "conductor",
      method: "POST",
      path: "/end-users",
      afterCommit: true,
      hang: true,
      times: 1,
    });
    const since = Date.now();
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        "tests/support/onboard-child.ts",
        JSON.stringify({ sourceId, companyName: "Crash Co", email }),
      ],
      {
        env: process.env,
        stdio: "ignore",
      },
    );
    for (let i = 0; i < 200 && !(await postsFor(since)).some((call) => call.status === 200); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await upstreamFor(sourceId)).toHaveLength(1);
    expect(await cachedFor(sourceId)).toBe(0);
    expect((await sql(`SELECT state FROM "OnboardingClaim" WHERE "sourceId" = $1`, [sourceId]))[0]).toEqual({
      state: "IN_FLIGHT",
    });

    const [claim] = await sql<{ lease: Date }>(
      `SELECT "leaseExpiresAt" AS lease FROM "OnboardingClaim" WHERE "sourceId" = $1`,
      [sourceId],
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, claim!.lease.getTime() - Date.now()) + 300));
    await runReconcile();
    expect(await cachedFor(sourceId)).toBe(1);
    expect(await upstreamFor(sourceId)).toHaveLength(1);
    expect(await postsFor(since)).toHaveLength(1);
    expect((await sql(`SELECT state FROM "OnboardingClaim" WHERE "sourceId" = $1`, [sourceId]))[0]).toEqual({
      state: "DONE",
    });
  });

  it("if Conductor refuses a duplicate sourceId with 409, the retry finds the end-user that already exists", async () => {
    const { client, id, email } = await customer("duplicate-409");
    const { default: Conductor } = await import("conductor-node");
    const sdk = new Conductor({ apiKey: inject("stack").secretKey, baseURL: emulator.conductorUrl(), maxRetries: 0 });
    const existing = await sdk.endUsers.create({ companyName: "Created Elsewhere", sourceId: id, email });
    await emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: 409, times: 1 });
    const since = Date.now();
    expect((await create(client)).status).toBe(502);
    const retry = await create(client);
    expect(retry.status).toBe(200);
    expect((await retry.json()).endUser.id).toBe(existing.id);
    expect(await postsFor(since)).toHaveLength(1);
    expect(await upstreamFor(id)).toHaveLength(1);
  });

  it("off Vercel, the server itself reconciles on a schedule, without the cron route", async () => {
    const { startApp } = await import("../support/app-server");
    const app = await startApp({ ...inject("stack").appEnv, RECONCILE_INTERVAL_MINUTES: "0.02" });
    try {
      const email = uniqueEmail("scheduled");
      const client = new HttpClient(app.origin);
      const signedIn = await signIn(email);
      for (const [name, value] of signedIn.cookies) client.cookies.set(name, value);
      const id = await userIdFor(email);
      await emulator.arm({
        provider: "conductor",
        method: "POST",
        path: "/end-users",
        afterCommit: true,
        hang: true,
        times: 1,
      });
      expect((await create(client)).status).toBe(504);
      const state = async () =>
        (await sql<{ state: string }>(`SELECT state FROM "OnboardingClaim" WHERE "sourceId" = $1`, [id]))[0]?.state;
      await expect.poll(state, { timeout: 15_000, interval: 250 }).toBe("DONE");
      expect(await cachedFor(id)).toBe(1);
    } finally {
      await app.stop();
    }
  });

  it("reconcile does not POST again while a list could predate the POST it is looking for", async () => {
    const sourceId = `recent-${Date.now()}`;
    const state = async () =>
      (await sql<{ state: string }>(`SELECT state FROM "OnboardingClaim" WHERE "sourceId" = $1`, [sourceId]))[0]?.state;
    // Its POST started (by the database's clock) one second short of the settle window ago…
    await sql(
      `INSERT INTO "OnboardingClaim" ("sourceId", "companyName", "email", "state", "attempts", "postStartedAt", "createdAt", "updatedAt")
       VALUES ($1, 'Recent Co', 'recent@example.test', 'OUTCOME_UNKNOWN', 1, timezone('UTC', now()) - $2 * interval '1 millisecond',
               timezone('UTC', now()), timezone('UTC', now()))`,
      [sourceId, SETTLE_MS - 1000],
    );
    // …and Conductor's list is slow, so by the time it answers the window has passed by the clock.
    await emulator.arm({ provider: "conductor", method: "GET", path: "/end-users", delayMs: 2000, times: 1 });
    const first = await runReconcile();
    expect(first.claims.pending).toBeGreaterThanOrEqual(1);
    expect(await upstreamFor(sourceId)).toHaveLength(0);
    expect(await state()).toBe("OUTCOME_UNKNOWN");

    // A list requested after the window is conclusive: now reconcile finishes the onboarding.
    await runReconcile();
    expect(await upstreamFor(sourceId)).toHaveLength(1);
    expect(await state()).toBe("DONE");
    expect(await cachedFor(sourceId)).toBe(1);
  });

  it("leaves no orphans: every end-user Conductor holds for these tests is cached", async () => {
    const { default: Conductor } = await import("conductor-node");
    const sdk = new Conductor({ apiKey: inject("stack").secretKey, baseURL: emulator.conductorUrl(), maxRetries: 0 });
    const ours = (await sdk.endUsers.list()).data.filter((endUser) =>
      /^(c[a-z0-9]{20,}|crash-\d+|recent-\d+)$/.test(endUser.sourceId),
    );
    await runReconcile();
    for (const endUser of ours)
      expect(await count(`SELECT 1 FROM "ConductorEndUser" WHERE id = $1`, [endUser.id]), endUser.sourceId).toBe(1);
  });
});

describe("bad input changes nothing", () => {
  const cases: [string, string, unknown][] = [
    ["empty company name", "companyName", { companyName: "" }],
    ["whitespace company name", "companyName", { companyName: "   " }],
    ["256 characters", "companyName", { companyName: "a".repeat(256) }],
    ["control characters", "companyName", { companyName: "Acme\u0007Inc" }],
    ["a number", "companyName", { companyName: 42 }],
    ["null", "companyName", { companyName: null }],
    ["no company name", "companyName", {}],
    ["an extra field", "plan", { companyName: "Acme", plan: "gold" }],
    ["someone else's sourceId", "sourceId", { companyName: "Acme", sourceId: "someone-else" }],
    ["a chosen email", "email", { companyName: "Acme", email: "other@example.test" }],
    ["an array body", "body", [{ companyName: "Acme" }]],
  ];

  it.each(cases)("%s → 400 naming %s; 0 rows, 0 upstream calls", async (_name, field, body) => {
    const status = 400;
    const init = { body: JSON.stringify(body) };
    const { client, id } = await customer("bad-input");
    await emulator.forgetCalls();
    const response = await client.fetch("/api/end-users", {
      method: "POST",
      headers: { "content-type": "application/json" },
      ...init,
    });
    expect(response.status).toBe(status);
    const { error } = await response.json();
    expect(error.code).toBe("invalid_request");
    expect(Object.keys(error.fields)).toContain(field);
    expect(await count(`SELECT 1 FROM "OnboardingClaim" WHERE "sourceId" = $1`, [id])).toBe(0);
    expect(await cachedFor(id)).toBe(0);
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it.each([
    [
      "text/plain",
      415,
      "unsupported_media_type",
      { headers: { "content-type": "text/plain" }, body: "companyName=Acme" },
    ],
    [
      "form encoding",
      415,
      "unsupported_media_type",
      { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "companyName=Acme" },
    ],
    ["broken JSON", 400, "invalid_json", { headers: { "content-type": "application/json" }, body: "{companyName:" }],
    [
      "over 64 KB",
      413,
      "payload_too_large",
      { headers: { "content-type": "application/json" }, body: JSON.stringify({ companyName: "a".repeat(70_000) }) },
    ],
  ] as const)("%s → %i %s; nothing written", async (_name, status, code, init) => {
    const { client, id } = await customer("bad-body");
    await emulator.forgetCalls();
    const response = await client.fetch("/api/end-users", { method: "POST", ...init });
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
    expect(await count(`SELECT 1 FROM "OnboardingClaim" WHERE "sourceId" = $1`, [id])).toBe(0);
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("the onboarding form reports each bad company name next to the field and writes nothing", async () => {
    const { onboard, formState } = await import("../support/actions");
    const { client, id } = await customer("bad-form");
    await emulator.forgetCalls();
    for (const name of ["", "   ", "x".repeat(256), "Tab\there"]) {
      const result = await onboard(client, name);
      expect(result.status).toBe(200);
      const state = formState(result.body);
      expect(state).toMatchObject({ status: "error", code: "invalid_request" });
      expect(state.fields?.companyName?.length).toBe(1);
    }
    const extra = formState((await onboard(client, "Acme", { sourceId: "someone-else" })).body);
    expect(extra.fields).toHaveProperty("sourceId");
    expect(await count(`SELECT 1 FROM "OnboardingClaim" WHERE "sourceId" = $1`, [id])).toBe(0);
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("the onboarding form creates the end-user once and says so", async () => {
    const { onboard, formState } = await import("../support/actions");
    const { client, id } = await customer("form");
    const first = formState((await onboard(client, "Formed Ltd")).body);
    expect(first).toEqual({
      status: "success",
      message: "Formed Ltd is set up with Conductor. Next: connect QuickBooks Desktop.",
    });
    const second = formState((await onboard(client, "Formed Ltd")).body);
    expect(second).toEqual({ status: "success", message: "Formed Ltd was already set up with Conductor." });
    expect(await upstreamFor(id)).toHaveLength(1);
  });
});
