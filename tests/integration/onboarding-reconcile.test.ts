/**
 * What the reconcile job (Vercel Cron's route, or the server's own schedule off Vercel) does for
 * onboardings whose outcome is unknown: it finds what Conductor created, caches it, and never
 * POSTs a second time while Conductor's list could still be missing the first.
 */
import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { h, type HttpClient } from "../support/harness";

/** How long after a POST the app trusts Conductor's list about it (the test app's CREATE_SETTLE_SECONDS). */

const create = (client: HttpClient) => client.json("/api/end-users", { companyName: "Acme Inc." });
const postsSince = (since: number) =>
  h.emulator.calls({ provider: "conductor", method: "POST", path: "/end-users", since });
const claimState = async (sourceId: string) => (await h.claim(sourceId))?.state;
/** Every sourceId this file onboards, for the orphan check. */
const onboarded = new Set<string>();
async function customer(label: string) {
  const signedIn = await h.customer(label);
  onboarded.add(signedIn.id);
  return signedIn;
}

beforeEach(() => h.emulator.disarm());
afterEach(() => h.emulator.disarm());

describe("reconciling onboardings", () => {
  it("Conductor creates it and then never answers: reconcile finds it, no second POST, one end-user everywhere", async () => {
    const { client, id } = await customer("timeout");
    await h.emulator.armSilentCreate();
    const since = Date.now();
    const response = await create(client);
    expect(response.status).toBe(504);
    expect((await response.json()).error).toMatchObject({ code: "upstream_timeout" });
    expect(await h.cachedCount(id)).toBe(0);
    expect(await claimState(id)).toBe("OUTCOME_UNKNOWN");

    const report = await h.reconcile();
    expect(report.claims.repaired).toBeGreaterThanOrEqual(1);
    expect(await h.upstream(id)).toHaveLength(1);
    expect(await h.cachedCount(id)).toBe(1);
    expect(await postsSince(since)).toHaveLength(1);
    expect(
      (await h.sql(`SELECT action FROM "AuditEvent" WHERE "sourceId" = $1 ORDER BY at`, [id])).map((r) => r.action),
    ).toEqual(["ONBOARDING_OUTCOME_UNKNOWN", "END_USER_REPAIRED"]);
    expect((await create(client)).status).toBe(200);
  });

  it("a crash between Conductor creating it and our write: reconcile repairs it once the lease runs out", async () => {
    const email = h.uniqueEmail("crash");
    const sourceId = `crash-${Date.now()}`;
    onboarded.add(sourceId);
    await h.emulator.armSilentCreate();
    const since = Date.now();
    // The onboarding runs in a process of its own (with this file's environment: the app's), killed mid-call.
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        "tests/support/onboard-child.ts",
        JSON.stringify({ sourceId, companyName: "Crash Co", email }),
      ],
      { env: process.env, stdio: "ignore" },
    );
    for (let i = 0; i < 200 && !(await postsSince(since)).some((call) => call.status === 200); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await h.upstream(sourceId)).toHaveLength(1);
    expect(await h.cachedCount(sourceId)).toBe(0);
    const claim = await h.claim(sourceId);
    expect(claim).toMatchObject({ state: "IN_FLIGHT" });

    // Reconcile leaves the claim alone while its lease runs, then finishes it: no timing guessed.
    await expect
      .poll(async () => (await h.reconcile(), claimState(sourceId)), { timeout: 60_000, interval: 500 })
      .toBe("DONE");
    expect(await h.cachedCount(sourceId)).toBe(1);
    expect(await h.upstream(sourceId)).toHaveLength(1);
    expect(await postsSince(since)).toHaveLength(1);
    expect(await claimState(sourceId)).toBe("DONE");
  });

  it("off Vercel, the server itself reconciles on a schedule, without the cron route", async () => {
    const app = await h.startApp({ RECONCILE_INTERVAL_MINUTES: "0.02" });
    const { client: signedIn, id } = await customer("scheduled");
    const client = h.client(app.origin);
    for (const [name, value] of signedIn.cookies) client.cookies.set(name, value);
    await h.emulator.armSilentCreate();
    expect((await create(client)).status).toBe(504);
    await expect.poll(() => claimState(id), { timeout: 15_000, interval: 250 }).toBe("DONE");
    expect(await h.cachedCount(id)).toBe(1);
  });

  it("reconcile does not POST again while a list could predate the POST it is looking for", async () => {
    // A settle window of 12 s, so every margin below is seconds wide whatever the machine's load.
    const app = await h.startApp({ CREATE_SETTLE_SECONDS: "12", CONDUCTOR_TIMEOUT_MS: "20000" });
    const sourceId = `recent-${Date.now()}`;
    onboarded.add(sourceId);
    // Its POST started (by the database's clock) 6 s ago: the window closes 6 s from now…
    await h.sql(
      `INSERT INTO "OnboardingClaim" ("sourceId", "companyName", "email", "state", "attempts", "postStartedAt", "createdAt", "updatedAt")
       VALUES ($1, 'Recent Co', 'recent@example.test', 'OUTCOME_UNKNOWN', 1, timezone('UTC', now()) - interval '6 seconds',
               timezone('UTC', now()), timezone('UTC', now()))`,
      [sourceId],
    );
    // …and Conductor's list takes 8 s: requested inside the window, it answers after it closed.
    await h.emulator.arm({ provider: "conductor", method: "GET", path: "/end-users", delayMs: 8000, times: 1 });
    const first = await h.reconcile(app.origin);
    expect(first.claims.pending).toBeGreaterThanOrEqual(1);
    expect(await h.upstream(sourceId)).toHaveLength(0);
    expect(await claimState(sourceId)).toBe("OUTCOME_UNKNOWN");

    // A list requested after the window is conclusive: now reconcile finishes the onboarding.
    await h.reconcile(app.origin);
    expect(await h.upstream(sourceId)).toHaveLength(1);
    expect(await claimState(sourceId)).toBe("DONE");
    expect(await h.cachedCount(sourceId)).toBe(1);
  });

  it("leaves the claims it has no time for to the next run, and still refreshes the cache: the cron route ends within its budget", async () => {
    const app = await h.startApp({ RECONCILE_BUDGET_SECONDS: "1" });
    const sourceIds = [1, 2, 3].map((n) => `budget-${n}-${Date.now()}`);
    for (const sourceId of sourceIds) {
      onboarded.add(sourceId);
      // A claim whose holder died before its POST: reconcile POSTs for it.
      await h.sql(
        `INSERT INTO "OnboardingClaim" ("sourceId", "companyName", "email", "state", "attempts", "leaseExpiresAt", "createdAt", "updatedAt")
         VALUES ($1, 'Budget Co', 'budget@example.test', 'IN_FLIGHT', 1, timezone('UTC', now()) - interval '1 minute',
                 timezone('UTC', now()), timezone('UTC', now()))`,
        [sourceId],
      );
    }
    // Each creation takes longer than the whole budget.
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", delayMs: 1_500, times: 3 });
    const report = await h.reconcile(app.origin);
    const { stale, repaired, created, pending, failed, skipped, deferred } = report.claims;
    expect(deferred).toBeGreaterThanOrEqual(2);
    expect(repaired + created + pending + failed + skipped + deferred).toBe(stale);
    expect(report.cache.upstream).toBeGreaterThan(0);
    const done = await Promise.all(sourceIds.map(claimState));
    expect(done.filter((state) => state === "DONE").length).toBeLessThanOrEqual(1);

    // The next run, with its time, finishes them: one end-user each.
    await h.emulator.disarm();
    expect((await h.reconcile()).claims.deferred).toBe(0);
    for (const sourceId of sourceIds) {
      expect(await claimState(sourceId)).toBe("DONE");
      expect(await h.upstream(sourceId)).toHaveLength(1);
    }
  });

  it("leaves no orphans: after a reconcile, every end-user Conductor holds for an onboarding of this file is cached", async () => {
    // At least one would-be orphan of its own: Conductor created it, the app never heard back.
    const { client, id } = await customer("orphan");
    await h.emulator.armSilentCreate();
    expect((await create(client)).status).toBe(504);
    expect(await h.upstream(id)).toHaveLength(1);
    expect(await h.cachedCount(id)).toBe(0);

    await h.reconcile();
    const ours = (await h.conductor.endUsers.list()).data.filter((endUser) => onboarded.has(endUser.sourceId));
    expect(ours.map((endUser) => endUser.sourceId)).toContain(id);
    for (const endUser of ours)
      expect(await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE id = $1`, [endUser.id]), endUser.sourceId).toBe(1);
  });
});
