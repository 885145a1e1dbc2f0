/**
 * Postgres goes away under a running app (a server of the test's own, stopped and started again):
 * every surface answers 503 in the error envelope (sign-in included), /api/health
 * names the database and the rate limiter's store, a creation cut off mid-way leaves nothing
 * half-written, and the same process serves again once Postgres is back.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import type { AppProcess } from "../support/app-server";
import { h, type HttpClient } from "../support/harness";

/**
 * The sandbox Conductor is shared with every other test, whose database never saw these
 * end-users: they leave Conductor with the test, or the next refresh would find them.
 */
function removeFromConductorAfterwards(sourceId: string) {
  onTestFinished(async () => {
    for (const endUser of await h.upstream(sourceId)) await h.conductor.endUsers.delete(endUser.id);
  });
}

const lookup = (app: AppProcess) =>
  fetch(`${app.origin}/api/end-users/lookup?sourceId=nobody`, {
    headers: { authorization: `Bearer ${h.stack.serviceTokens[0]}` },
  });

async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(await response.json()).toEqual({
    error: { code: "database_unavailable", message: expect.any(String) },
  });
}

describe("Postgres unreachable while the app runs", () => {
  it("answers 503 everywhere, names the database in /api/health, and serves again once it is back", async () => {
    const pg = await h.own.postgres();
    const app = await h.startApp({ DATABASE_URL: pg.url });
    const email = h.uniqueEmail("pg-outage");
    const customer: HttpClient = await h.signIn(email, app.origin);
    const [user] = await pg.query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
    removeFromConductorAfterwards(user!.id);
    const { endUser } = await (await customer.json("/api/end-users", { companyName: "Outage Co" })).json();
    const rowsBefore = await pg.count(`SELECT 1 FROM "ConductorEndUser"`);

    await pg.stop();

    const health = await h.health(app.origin);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      ok: false,
      database: "unavailable",
      down: ["database", "rateLimitStore"],
      parts: { database: { status: "unavailable" }, rateLimitStore: { status: "unavailable", store: "postgres" } },
    });
    expect(JSON.stringify(health.body)).not.toContain(String(pg.port));

    await expectUnavailable(await customer.fetch(`/api/end-users/${endUser.id}`));
    await expectUnavailable(await customer.json("/api/end-users", { companyName: "Outage Co" }));
    for (let i = 0; i < 3; i++) await expectUnavailable(await lookup(app));
    // The cron's job too (its statements go through Prisma's raw queries, whose failure reads otherwise).
    await expectUnavailable(
      await fetch(`${app.origin}/api/cron/reconcile`, {
        headers: { authorization: `Bearer ${h.stack.cronSecret}` },
      }),
    );

    // Sign-in: the envelope, never a bare 500 (the sign-in form then says to try again).
    await expectUnavailable(await h.postSignInForm(h.uniqueEmail("pg-outage-signin"), app.origin));

    // A form says so too, instead of telling a signed-in person their session ended.
    const form = await h.actions.call(
      customer,
      "/onboarding",
      h.actions.id("app/_components/connection/actions.ts", "sendConnectLinkAction"),
      { endUserId: endUser.id },
      { previousState: h.actions.idleState },
    );
    expect(h.actions.formState(form.body)).toMatchObject({ status: "error", code: "database_unavailable" });

    // A page cannot be shown; the reference its error page gives is in the log, with the cause.
    const page = await customer.fetch("/onboarding");
    expect(page.status).toBe(500);
    // In the page's React data, as JSON inside a script's string.
    const digest = /\\?"digest\\?":\\?"([^"\\]+)/.exec(await page.text())?.[1];
    expect(digest).toBeDefined();
    expect(h.logLines(app, "request.unhandled").map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ digest, code: "database_unavailable", path: "/onboarding", routeType: "render" }),
    );

    // The rate limiter fell back to per-instance limits, and said so once for the whole outage.
    expect(h.logLines(app, "rate_limit.store_unavailable")).toHaveLength(1);

    await pg.start();
    await h.until("the app to answer /api/health with 200", async () =>
      (await h.health(app.origin)).status === 200 ? true : undefined,
    );
    expect((await h.health(app.origin)).body).toMatchObject({ ok: true, database: "ok", down: [] });
    const fresh = await customer.fetch(`/api/end-users/${endUser.id}`);
    expect(fresh.status).toBe(200);
    expect((await fresh.json()).endUser.id).toBe(endUser.id);
    expect((await lookup(app)).status).toBe(404);
    expect((await h.postSignInForm(h.uniqueEmail("pg-back"), app.origin)).status).toBe(200);
    // Within a couple of seconds of its last failure the limiter keeps counting locally; then one
    // request finds the store again and shared counting resumes.
    await h.until("the limiter to use the database again", async () =>
      (await lookup(app)).status === 404 && h.logLines(app, "rate_limit.store_recovered").length ? true : undefined,
    );
    expect(h.logLines(app, "rate_limit.store_recovered")).toHaveLength(1);
    expect(h.logLines(app, "rate_limit.store_unavailable")).toHaveLength(1);
    expect(await pg.count(`SELECT 1 FROM "ConductorEndUser"`)).toBe(rowsBefore);
  });

  it("a creation cut off after Conductor's POST leaves no half-written row, and the retry finishes it exactly once", async () => {
    const pg = await h.own.postgres();
    const app = await h.startApp({ DATABASE_URL: pg.url, CONDUCTOR_TIMEOUT_MS: "10000" });
    const email = h.uniqueEmail("pg-cut");
    const customer = await h.signIn(email, app.origin);
    const [user] = await pg.query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
    const sourceId = user!.id;
    removeFromConductorAfterwards(sourceId);

    // Conductor creates the end-user, but answers only after the database went away.
    await h.emulator.arm({
      provider: "conductor",
      method: "POST",
      path: "/end-users",
      delayMs: 3_000,
      afterCommit: true,
      times: 1,
    });
    const since = Date.now();
    const creating = customer.json("/api/end-users", { companyName: "Cut Off Co" });
    await h.until("Conductor to receive the POST", async () =>
      (await h.emulator.calls({ provider: "conductor", method: "POST", path: "/end-users", since })).length
        ? true
        : undefined,
    );
    await pg.stop();
    const cutOff = await creating;
    expect(cutOff.status).toBe(503);
    // Conductor did answer: its request id is what support asks Conductor about.
    expect(await cutOff.json()).toEqual({
      error: {
        code: "database_unavailable",
        message: "Your company was created with Conductor but we could not record it yet. It will appear shortly.",
        conductorRequestId: expect.stringMatching(/^req_/),
      },
    });
    await pg.start();

    // Nothing cached, no audit event; the claim remembers that a POST left.
    expect(await pg.count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toBe(0);
    expect(await pg.count(`SELECT 1 FROM "AuditEvent" WHERE "sourceId" = $1`, [sourceId])).toBe(0);
    const [claim] = await pg.query<{ postStartedAt: Date | null }>(
      `SELECT "postStartedAt" FROM "OnboardingClaim" WHERE "sourceId" = $1`,
      [sourceId],
    );
    expect(claim?.postStartedAt).not.toBeNull();

    const retried = await h.until("the retry to finish the creation", async () => {
      const response = await customer.json("/api/end-users", { companyName: "Cut Off Co" });
      return [200, 201].includes(response.status) ? response : (await response.body?.cancel(), undefined);
    });
    const { endUser } = await retried.json();
    expect(await h.upstream(sourceId)).toEqual([expect.objectContaining({ id: endUser.id })]);
    expect(await pg.count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toBe(1);
  });
});
