/**
 * Whose budget a request spends: a valid token its own (never its IP's, so junk from a shared
 * address cannot starve it), a failed attempt its IP's; a person reading an end-user spends a
 * budget of Conductor reads, beyond which the cache answers with a notice, and a copy synced
 * within a read's `maxAge` answers without asking Conductor at all.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pressSetupButton } from "../support/connect";
import { h } from "../support/harness";
import { awayFromWindowEdge } from "../support/rate-windows";

const LIMIT = 3;

const retrieves = (id: string, since: number) =>
  h.emulator.calls({ provider: "conductor", method: "GET", path: `/end-users/${id}`, since });

/** An app of one service token, allowed LIMIT lookups a minute, and a lookup by it (or any other bearer) from a given address. */
async function lookupApp() {
  const token = `svc_${randomBytes(24).toString("hex")}`;
  const app = await h.startApp({ LOOKUP_API_TOKENS: token, LOOKUP_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  await awayFromWindowEdge();
  const lookup = (bearer: string, ip: string) =>
    fetch(`${app.origin}/api/end-users/lookup?sourceId=nobody`, {
      headers: { authorization: `Bearer ${bearer}`, "x-real-ip": ip },
    });
  return { token, lookup };
}

describe("the lookup's budgets", () => {
  it("lets a valid token through from an address whose failed attempts used up its budget", async () => {
    const { token, lookup: lookupFrom } = await lookupApp();
    const ip = h.uniqueClientIp();
    const lookup = (bearer: string) => lookupFrom(bearer, ip);
    const junk = [];
    for (let i = 0; i < LIMIT + 2; i++) junk.push((await lookup(`junk_${randomBytes(20).toString("hex")}`)).status);
    expect(junk).toEqual([...Array(LIMIT).fill(401), 429, 429]);
    expect((await lookup(token)).status).toBe(404);
  });

  it("does not count a valid token's lookups against its address", async () => {
    const { token, lookup: lookupFrom } = await lookupApp();
    const ip = h.uniqueClientIp();
    const lookup = (bearer: string) => lookupFrom(bearer, ip);
    for (let i = 0; i < LIMIT; i++) expect((await lookup(token)).status).toBe(404);
    expect((await lookup(token)).status).toBe(429);
    // The address's own budget is untouched: a wrong token is told it is wrong, not to wait.
    expect((await lookup(`junk_${randomBytes(20).toString("hex")}`)).status).toBe(401);
  });

  it("keeps a spent budget spent after a request whose client address header is 8,000 bytes of junk", async () => {
    const { token, lookup } = await lookupApp();
    for (let i = 0; i < LIMIT; i++) expect((await lookup(token, h.uniqueClientIp())).status).toBe(404);
    expect((await lookup(token, h.uniqueClientIp())).status).toBe(429);
    // Such an address counts as unknown: it cannot fail the shared store, which would have every
    // instance count afresh on its own.
    const junk = randomBytes(6_000).toString("base64");
    expect((await lookup(`junk_${randomBytes(20).toString("hex")}`, junk)).status).toBe(401);
    expect((await lookup(token, h.uniqueClientIp())).status).toBe(429);
  });
});

describe("reads that ask Conductor", () => {
  it("beyond a person's budget, answers with the cached copy and a notice, without asking Conductor", async () => {
    // An operator of this test alone: the stack's operator spends the same shared budget in other tests.
    const operatorEmail = h.uniqueEmail("budget-operator");
    const app = await h.startApp({
      CONDUCTOR_READ_RATE_LIMIT_PER_MINUTE: "2",
      ADMIN_EMAILS: `${h.stack.operatorEmail},${operatorEmail}`,
    });
    await awayFromWindowEdge();
    const customer = await h.signIn(h.uniqueEmail("reader"), app.origin);
    const { endUser } = await (await customer.json("/api/end-users", { companyName: "Curious Co" })).json();
    const since = Date.now();
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const response = await customer.fetch(`/api/end-users/${endUser.id}`);
      expect(response.status).toBe(200);
      answers.push(await response.json());
    }
    expect(answers.map((answer) => answer.fresh)).toEqual([true, true, false]);
    expect(answers[2]).toMatchObject({ endUser: { id: endUser.id, companyName: "Curious Co" } });
    expect(answers[2].notice).toMatch(
      /^Your company's details were read from Conductor 2 times this minute, as often as they can be\. Showing the cached copy, last synced/,
    );
    expect(await retrieves(endUser.id, since)).toHaveLength(2);

    // The detail page draws on the same budget: the cached copy, with the notice.
    const page = await (await customer.fetch(`/end-users/${endUser.id}`)).text();
    expect(page).toContain('data-testid="stale-notice"');
    expect(await retrieves(endUser.id, since)).toHaveLength(2);

    // Another person has a budget of their own; an operator's is told as theirs across every end-user.
    const operator = await h.signIn(operatorEmail, app.origin);
    const operatorReads = [];
    for (let i = 0; i < 3; i++) operatorReads.push(await (await operator.fetch(`/api/end-users/${endUser.id}`)).json());
    expect(operatorReads.map((answer) => answer.fresh)).toEqual([true, true, false]);
    expect(operatorReads[2].notice).toMatch(
      /^You have used up your reads from Conductor for now \(2 a minute, across every end-user you open\)\. Showing the cached copy/,
    );
    // With nothing cached to answer with, the spent budget is the answer (as the OpenAPI document declares).
    const uncached = await operator.fetch("/api/end-users/end_usr_notcachedanywhere01");
    expect(uncached.status).toBe(429);
    expect(Number(uncached.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await uncached.json()).error.code).toBe("rate_limited");
  });

  it("with ?maxAge=, answers from a copy synced that recently without asking Conductor", async () => {
    const app = await h.startApp({ CONDUCTOR_READ_FRESH_SECONDS: "0" });
    const customer = await h.signIn(h.uniqueEmail("fresh-reader"), app.origin);
    const { endUser } = await (await customer.json("/api/end-users", { companyName: "Recent Co" })).json();
    const since = Date.now();
    for (let i = 0; i < 3; i++) {
      const answer = await (await customer.fetch(`/api/end-users/${endUser.id}?maxAge=600`)).json();
      expect(answer).toMatchObject({ fresh: true, endUser: { id: endUser.id, companyName: "Recent Co" } });
    }
    expect(await retrieves(endUser.id, since)).toEqual([]);
  });

  it("without ?maxAge=, asks Conductor however recent the cached copy, and so shows a setup completed since", async () => {
    const app = await h.startApp({ CONDUCTOR_READ_FRESH_SECONDS: "600" });
    const customer = await h.signIn(h.uniqueEmail("retrieving-reader"), app.origin);
    const { endUser } = await (await customer.json("/api/end-users", { companyName: "Just Connected Co" })).json();
    const session = await (await customer.json(`/api/end-users/${endUser.id}/auth-sessions`, {})).json();
    await pressSetupButton(session.authSession.authFlowUrl);
    const since = Date.now();
    const answer = await (await customer.fetch(`/api/end-users/${endUser.id}`)).json();
    expect(answer).toEqual({
      fresh: true,
      endUser: expect.objectContaining({
        id: endUser.id,
        connection: expect.objectContaining({ status: "connected" }),
      }),
    });
    expect(await retrieves(endUser.id, since)).toHaveLength(1);
  });

  it("refuses a ?maxAge= that is not a whole number of seconds up to an hour, naming it, without asking Conductor", async () => {
    const app = await h.startApp();
    const customer = await h.signIn(h.uniqueEmail("bad-max-age"), app.origin);
    const { endUser } = await (await customer.json("/api/end-users", { companyName: "Max Age Co" })).json();
    const since = Date.now();
    for (const [value, message] of [
      ["-1", "must be a whole number of 0 or more, in digits"],
      ["1.5", "must be a whole number of 0 or more, in digits"],
      ["3601", "must be at most 3600"],
      ["", "must be a whole number of 0 or more, in digits"],
    ]) {
      const response = await customer.fetch(`/api/end-users/${endUser.id}?maxAge=${value}`);
      expect(response.status).toBe(400);
      expect((await response.json()).error.fields).toEqual({ maxAge: [message] });
    }
    const twice = await customer.fetch(`/api/end-users/${endUser.id}?maxAge=1&maxAge=2`);
    expect((await twice.json()).error.fields).toEqual({ maxAge: ["must be given once"] });
    expect(await retrieves(endUser.id, since)).toEqual([]);
  });

  it("?cache=only calls a copy synced within CONDUCTOR_READ_FRESH_SECONDS fresh, and, where that window is 0, not, with its age", async () => {
    const app = await h.startApp({ CONDUCTOR_READ_FRESH_SECONDS: "600" });
    const email = h.uniqueEmail("cache-only-reader");
    const customer = await h.signIn(email, app.origin);
    const { endUser } = await (await customer.json("/api/end-users", { companyName: "Cached Co" })).json();
    const recent = await (await customer.fetch(`/api/end-users/${endUser.id}?cache=only`)).json();
    expect(recent).toEqual({ endUser: expect.objectContaining({ id: endUser.id }), fresh: true });
    // A maxAge given with it decides instead of the window.
    const stricter = await (await customer.fetch(`/api/end-users/${endUser.id}?cache=only&maxAge=0`)).json();
    expect(stricter).toMatchObject({ fresh: false, notice: "Served from the cache, last synced just now." });
    // This suite's own app counts nothing as fresh.
    const sameCustomer = await h.signIn(email);
    const older = await (await sameCustomer.fetch(`/api/end-users/${endUser.id}?cache=only`)).json();
    expect(older).toMatchObject({ fresh: false, notice: "Served from the cache, last synced just now." });
  });

  it("asks Conductor all the same about a recent copy its list has lacked since, and says what it found", async () => {
    const app = await h.startApp({ CONDUCTOR_READ_FRESH_SECONDS: "600" });
    const customer = await h.signIn(h.uniqueEmail("missing-reader"), app.origin);
    const { endUser } = await (await customer.json("/api/end-users", { companyName: "Missing Co" })).json();
    await h.conductor.endUsers.delete(endUser.id);
    await h.reconcile();
    const since = Date.now();
    const answer = await (await customer.fetch(`/api/end-users/${endUser.id}`)).json();
    expect(answer).toMatchObject({
      fresh: false,
      notice: expect.stringMatching(/^Conductor no longer has this end-user/),
    });
    expect(await retrieves(endUser.id, since)).toHaveLength(1);
  });
});
