/**
 * Conductor hangs (the sandbox never answers) under a running app: reads fall back to the cache
 * with a notice (API and page), a creation answers 504 in the envelope and caches nothing,
 * /api/health names Conductor from what the app last heard, and all recover once it answers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { h } from "../support/harness";

afterEach(() => h.emulator.disarm());

describe("Conductor hanging", () => {
  it("serves the cache with a notice, answers 504 to a creation, names Conductor in /api/health, and recovers", async () => {
    const app = await h.startApp();
    const customer = await h.signIn(h.uniqueEmail("hang"), app.origin);
    const { endUser } = await (await customer.json("/api/end-users", { companyName: "Patient Co" })).json();
    expect((await h.health(app.origin)).body.parts.conductor).toEqual({ status: "ok", mode: "live" });

    await h.emulator.arm({ provider: "conductor", method: "GET", path: "/end-users/*", hang: true, times: 20 });
    const read = await customer.fetch(`/api/end-users/${endUser.id}`);
    expect(read.status).toBe(200);
    const body = await read.json();
    expect(body).toMatchObject({ fresh: false, endUser: { id: endUser.id, companyName: "Patient Co" } });
    expect(body.notice).toMatch(/Conductor did not answer in time/);

    const health = await h.health(app.origin);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      ok: false,
      down: ["conductor"],
      parts: { database: { status: "ok" }, conductor: { status: "unavailable", mode: "live" } },
    });
    expect(JSON.stringify(health.body)).not.toContain(h.stack.secretKey);

    const page = await customer.fetch(`/end-users/${endUser.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Patient Co");
    expect(html).toContain('data-testid="stale-notice"');

    // A creation whose POST never answers: 504, and nothing cached for it.
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", hang: true, times: 1 });
    const otherEmail = h.uniqueEmail("hang-create");
    const other = await h.signIn(otherEmail, app.origin);
    const created = await other.json("/api/end-users", { companyName: "Waiting Co" });
    expect(created.status).toBe(504);
    expect(await created.json()).toMatchObject({ error: { code: "upstream_timeout", message: expect.any(String) } });
    expect(await h.cachedCount(await h.userIdFor(otherEmail))).toBe(0);

    await h.emulator.disarm();
    const fresh = await customer.fetch(`/api/end-users/${endUser.id}`);
    expect(await fresh.json()).toMatchObject({ fresh: true, endUser: { id: endUser.id } });
    expect((await h.health(app.origin)).body).toMatchObject({ ok: true, down: [] });
  });
});
