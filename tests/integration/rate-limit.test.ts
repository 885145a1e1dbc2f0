/**
 * Lookup rate limits hold across instances: two app processes on one database (or one Redis)
 * share each token's and each IP's budget, and a burst beyond it gets 429 with Retry-After.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AppProcess } from "../support/app-server";
import { pressSetupButton } from "../support/connect";
import { h, type HttpClient } from "../support/harness";
import { sql } from "../support/db";
import { awayFromWindowEdge } from "../support/rate-windows";

const LIMIT = 5;

/** "Email me this link" on /onboarding, as `client` submits it to `app`: the form's state. */
async function sendLinkForm(client: HttpClient, app: AppProcess, endUserId: string) {
  const form = await h.actions.call(
    client,
    "/onboarding",
    h.actions.id("app/_components/connection/actions.ts", "sendConnectLinkAction"),
    { endUserId },
    { previousState: h.actions.idleState, headers: { Origin: app.origin } },
  );
  return h.actions.formState(form.body);
}

/** Two more app processes on the stack's database, with one new service token and a lookup limit of LIMIT a minute. */
async function pair(extra: Record<string, string> = {}) {
  const token = `svc_${randomBytes(24).toString("hex")}`;
  const env = { LOOKUP_API_TOKENS: token, LOOKUP_RATE_LIMIT_PER_MINUTE: String(LIMIT), ...extra };
  const apps = await Promise.all([h.startApp(env), h.startApp(env)]);
  return { token, apps };
}

const lookup = (app: AppProcess, token: string, ip: string) =>
  h.fetch(`http://127.0.0.1:${app.port}/api/end-users/lookup?sourceId=nobody`, {
    headers: { authorization: `Bearer ${token}`, "x-real-ip": ip },
  });

describe.each([
  ["Postgres", {}],
  ["Redis", { REDIS_URL: "redis://127.0.0.1:6379" }],
])("rate limiting through %s", (_store, extra) => {
  it("shares one token's budget between two app processes and answers 429 with Retry-After beyond it, every answer saying what is left", async () => {
    const { token, apps } = await pair(extra);
    await awayFromWindowEdge();
    const statuses: number[] = [];
    const budgets: [string | null, string | null][] = [];
    let limited: Response | undefined;
    for (let i = 0; i < LIMIT * 2; i++) {
      // A different client IP each time, so only the token's budget is in play.
      const response = await lookup(apps[i % 2]!, token, `198.51.100.${(i % 250) + 1}`);
      statuses.push(response.status);
      budgets.push([response.headers.get("ratelimit-limit"), response.headers.get("ratelimit-remaining")]);
      if (response.status === 429) limited ??= response;
      else await response.body?.cancel();
    }
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(404));
    expect(statuses.slice(LIMIT)).toEqual(Array(LIMIT).fill(429));
    // The 404s (no such sourceId) count down what is left of the shared budget (a limit this
    // small is reserved one at a time); the 429s say nothing is.
    const left = (n: number) => [String(LIMIT), String(n)];
    expect(budgets).toEqual([left(4), left(3), left(2), left(1), left(0), ...Array(LIMIT).fill(left(0))]);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited!.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await limited!.json()).error.code).toBe("rate_limited");
  });

  it("under concurrent load two instances together admit at most the limit, and not much less", async () => {
    const limit = 200;
    const { token, apps } = await pair({ ...extra, LOOKUP_RATE_LIMIT_PER_MINUTE: String(limit) });
    await awayFromWindowEdge();
    const ip = h.uniqueClientIp();
    let admitted = 0;
    let limited = 0;
    const worker = async (app: AppProcess) => {
      for (let i = 0; i < 13; i++) {
        const response = await lookup(app, token, ip);
        if (response.status === 429) limited++;
        else if (response.status === 404) admitted++;
        await response.body?.cancel();
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => worker(apps[i % 2]!)));
    expect(admitted + limited).toBe(260);
    expect(admitted).toBeLessThanOrEqual(limit);
    // Budget left unspent in an instance's slice is at most a twentieth of the limit each.
    expect(admitted).toBeGreaterThanOrEqual(limit - 2 * (limit / 20));
  });

  it("limits one IP guessing tokens, whatever tokens it sends", async () => {
    const { apps } = await pair(extra);
    await awayFromWindowEdge();
    const ip = h.uniqueClientIp();
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 3; i++) {
      const response = await lookup(apps[i % 2]!, `guess_${randomBytes(20).toString("hex")}`, ip);
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(401), 429, 429, 429]);
  });
});

describe("limits on expensive or abusable calls", () => {
  it("refuses a third sign-in email for one address within a minute, with next-auth's error shape, saying the address was just sent links", async () => {
    const app = await h.startApp({ SIGNIN_RATE_LIMIT_PER_MINUTE: "2" });
    await awayFromWindowEdge();
    const email = h.uniqueEmail("flood");
    const ask = async (ip: string) => {
      const client = h.client(app.origin);
      const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
      return client.fetch("/api/auth/signin/email", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-real-ip": ip },
        body: new URLSearchParams({ csrfToken, email, json: "true" }),
      });
    };
    expect((await ask("198.18.0.1")).status).toBe(200);
    expect((await ask("198.18.0.2")).status).toBe(200);
    const third = await ask("198.18.0.3");
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await third.json()) as { url: string }).url).toContain("error=AddressBusy");
    expect(await h.mail.to(email)).toHaveLength(2);
  });

  it("limits how often one customer can ask for creation (each attempt may call Conductor)", async () => {
    const app = await h.startApp({ CREATE_RATE_LIMIT_PER_MINUTE: "2" });
    await awayFromWindowEdge();
    const client = await h.signIn(h.uniqueEmail("eager"), app.origin);
    // An address of its own: the per-IP count is shared with every other test's app on this database.
    const headers = { "x-real-ip": `198.18.1.${Math.floor(Math.random() * 250) + 1}` };
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await client.json("/api/end-users", { companyName: "Eager Co" }, { headers })).status);
    expect(statuses).toEqual([201, 200, 429]);
  });

  it("spends none of a customer's creation budget on invalid input, through the API or the onboarding form, fields only an operator may send and a page opened for another account included: the valid attempts after it still get the whole budget", async () => {
    const app = await h.startApp({ CREATE_RATE_LIMIT_PER_MINUTE: "2" });
    await awayFromWindowEdge();
    const email = h.uniqueEmail("invalid");
    const client = await h.signIn(email, app.origin);
    const headers = { "x-real-ip": h.uniqueClientIp() };
    const create = async (body: unknown) => {
      const response = await client.json("/api/end-users", body, { headers });
      return { status: response.status, code: ((await response.json()) as { error?: { code: string } }).error?.code };
    };
    const onboard = async (companyName: string, extra: Record<string, string> = {}) =>
      h.actions.formState((await h.actions.onboard(client, companyName, extra)).body);
    const before = await h.writes();
    const invalid = [
      { companyName: "" },
      { companyName: "Fine Co", extra: true },
      { companyName: 7 },
      [],
      { companyName: "Fine Co", sourceId: "mine" },
      { companyName: "Fine Co", email: "other@example.com" },
    ];
    for (const body of invalid) expect(await create(body)).toEqual({ status: 400, code: "invalid_request" });
    expect(await onboard("")).toMatchObject({ status: "error", code: "invalid_request" });
    expect(await onboard("Fine Co", { sourceId: "mine" })).toMatchObject({ status: "error", code: "invalid_request" });
    const otherAccount = { signedInAs: "another-account" };
    expect(await onboard("Fine Co", otherAccount)).toMatchObject({ status: "error", code: "account_changed" });
    expect(await h.writes()).toEqual(before);
    const [user] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
    expect(await sql(`SELECT 1 FROM "RateLimitWindow" WHERE key = $1`, [`create:user:${user!.id}`])).toEqual([]);
    expect(await create({ companyName: "Fine Co" })).toEqual({ status: 201, code: undefined });
    expect(await onboard("Fine Co")).toMatchObject({ status: "success" });
    expect(await create({ companyName: "Fine Co" })).toEqual({ status: 429, code: "rate_limited" });
  });

  it("spends none of an operator's creation budget on a customer's account id sent with another email (a refusal that reads the database): no RateLimit headers, no count, and the valid attempts after it still get the whole budget", async () => {
    const app = await h.startApp({ CREATE_RATE_LIMIT_PER_MINUTE: "2" });
    await awayFromWindowEdge();
    const customerEmail = h.uniqueEmail("their-account");
    await h.signIn(customerEmail, app.origin);
    const [customer] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [customerEmail]);
    const operator = await h.signIn(h.stack.operatorEmail, app.origin);
    const headers = { "x-real-ip": h.uniqueClientIp() };
    const before = await h.writes();
    for (let i = 0; i < 3; i++) {
      const body = { companyName: "Theirs Co", sourceId: customer!.id, email: "someone-else@example.test" };
      const response = await operator.json("/api/end-users", body, { headers });
      expect(response.status).toBe(400);
      expect(Object.keys((await response.json()).error.fields)).toEqual(["email"]);
      expect([response.headers.get("ratelimit-limit"), response.headers.get("ratelimit-remaining")]).toEqual([
        null,
        null,
      ]);
    }
    expect(await h.writes()).toEqual(before);
    const created = [];
    for (let i = 0; i < 3; i++) {
      const sourceId = `budget-${h.uniqueEmail("op").split("@")[0]}`;
      const body = { companyName: "Operator Made Co", sourceId, email: "owner@example.test" };
      created.push((await operator.json("/api/end-users", body, { headers })).status);
    }
    expect(created).toEqual([201, 201, 429]);
  });

  it("refuses a third connect link for one end-user within the hour: 429, Retry-After, no mail, no Conductor call", async () => {
    const app = await h.startApp({ CONNECT_LINK_RATE_LIMIT_PER_HOUR: "2" });
    // Three requests must not straddle the hour's boundary.
    const intoHour = Date.now() % 3_600_000;
    if (intoHour > 3_590_000) await new Promise((resolve) => setTimeout(resolve, 3_600_000 - intoHour + 250));
    const email = h.uniqueEmail("link-flood");
    const client = await h.signIn(email, app.origin);
    const { endUser } = await (await client.json("/api/end-users", { companyName: "Flooded Inbox Co" })).json();
    const since = Date.now();
    const send = () => client.json(`/api/end-users/${endUser.id}/connect-link`, {});
    const statuses = [(await send()).status, (await send()).status];
    const refused = await send();
    expect([...statuses, refused.status]).toEqual([202, 202, 429]);
    // The window is the clock's hour: it began at the top of the hour, and the wait runs to the next one.
    const [row] = await sql<{ startMs: number }>(
      `SELECT (extract(epoch FROM "windowStart") * 1000)::float8 AS "startMs" FROM "RateLimitWindow" WHERE key = $1`,
      [`connect-link:endUser:${endUser.id}`],
    );
    const windowStart = row!.startMs;
    expect(windowStart % 3_600_000).toBe(0);
    expect(Date.now() - windowStart).toBeLessThan(3_600_000);
    const secondsLeftInHour = (windowStart + 3_600_000 - Date.now()) / 1_000;
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Math.abs(retryAfter - secondsLeftInHour)).toBeLessThanOrEqual(5);
    // Whose budget ran out, and that operators share it: an operator refused after the customer's links knows why.
    expect((await refused.json()).error).toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(
        /^This company's setup links are used up until the top of the hour: 2 each clock hour, whoever sends them\. Wait \d+ (min|s) \(until \d\d:\d\d:\d\d UTC\) and try again\.$/,
      ),
    });
    const connectMails = async () => (await h.mail.to(email)).filter((m) => m.subject.startsWith("Connect"));
    await expect.poll(async () => (await connectMails()).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(await connectMails()).toHaveLength(2);
    expect(await h.emulator.calls({ provider: "conductor", path: "/auth-sessions", since })).toHaveLength(2);

    // The budget is the end-user's: the form on the page draws on the same one.
    expect(await sendLinkForm(client, app, endUser.id)).toMatchObject({
      status: "error",
      code: "rate_limited",
      retryAfterSeconds: expect.any(Number),
    });
  });

  it("gives back a connect link's unit when Conductor fails it: three 502s, each saying the budget is whole, then the hour's two links still go out", async () => {
    const app = await h.startApp({ CONNECT_LINK_RATE_LIMIT_PER_HOUR: "2" });
    await awayFromWindowEdge();
    const client = await h.signIn(h.uniqueEmail("link-outage"), app.origin);
    const { endUser } = await (await client.json("/api/end-users", { companyName: "Outage Link Co" })).json();
    const send = () => client.json(`/api/end-users/${endUser.id}/connect-link`, {});
    // Enough failures for every attempt and the SDK's retry of each.
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/auth-sessions", status: 503, times: 8 });
    try {
      expect(await sendLinkForm(client, app, endUser.id)).toMatchObject({ status: "error", code: "upstream_error" });
      const failed = [await send(), await send()];
      expect(failed.map((r) => [r.status, r.headers.get("ratelimit-remaining")])).toEqual([
        [502, "2"],
        [502, "2"],
      ]);
    } finally {
      await h.emulator.disarm();
    }
    const sent = [await send(), await send(), await send()];
    expect(sent.map((r) => [r.status, r.headers.get("ratelimit-remaining")])).toEqual([
      [202, "1"],
      [202, "0"],
      [429, "0"],
    ]);
  });

  it("spends an end-user's budget only for callers who may act on it: another customer's attempts leave it whole", async () => {
    const app = await h.startApp({
      CONNECT_LINK_RATE_LIMIT_PER_HOUR: "2",
      CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE: "2",
    });
    await awayFromWindowEdge();
    const owner = await h.signIn(h.uniqueEmail("budget-owner"), app.origin);
    const { endUser } = await (await owner.json("/api/end-users", { companyName: "Owned Budget Co" })).json();
    const stranger = await h.signIn(h.uniqueEmail("budget-stranger"), app.origin);
    for (let i = 0; i < 3; i++) {
      expect((await stranger.json(`/api/end-users/${endUser.id}/connect-link`, {})).status).toBe(404);
      expect((await stranger.json(`/api/end-users/${endUser.id}/connection/check`, {})).status).toBe(404);
      expect(await sendLinkForm(stranger, app, endUser.id)).toMatchObject({
        status: "error",
        code: "end_user_not_found",
      });
    }
    const links = [];
    const checks = [];
    for (let i = 0; i < 2; i++) {
      links.push((await owner.json(`/api/end-users/${endUser.id}/connect-link`, {})).status);
      checks.push((await owner.json(`/api/end-users/${endUser.id}/connection/check`, {})).status);
    }
    expect({ links, checks }).toEqual({ links: [202, 202], checks: [200, 200] });
    // The owner's own attempts still count: a third is refused.
    expect((await owner.json(`/api/end-users/${endUser.id}/connect-link`, {})).status).toBe(429);
  });

  it("limits health checks per end-user: beyond the budget, 429 and Conductor is not asked", async () => {
    const app = await h.startApp({ CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE: "2" });
    await awayFromWindowEdge();
    const client = await h.signIn(h.uniqueEmail("check-flood"), app.origin);
    const { endUser } = await (await client.json("/api/end-users", { companyName: "Eager Checker Co" })).json();
    const other = await h.signIn(h.uniqueEmail("check-other"), app.origin);
    const { endUser: otherEndUser } = await (await other.json("/api/end-users", { companyName: "Other Co" })).json();
    const since = Date.now();
    const check = (c: typeof client, id: string) => c.json(`/api/end-users/${id}/connection/check`, {});
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await check(client, endUser.id)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const path = "/quickbooks-desktop/health-check";
    expect(await h.emulator.calls({ provider: "conductor", path, since })).toHaveLength(2);
    // Another end-user has a budget of its own.
    expect((await check(other, otherEndUser.id)).status).toBe(200);
  });

  it("gives back the /onboarding/connected page's check unit when Conductor fails the check: with a budget of 1, the next check still runs", async () => {
    const app = await h.startApp({ CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE: "1" });
    await awayFromWindowEdge();
    const client = await h.signIn(h.uniqueEmail("check-outage"), app.origin);
    const { endUser } = await (await client.json("/api/end-users", { companyName: "Outage Check Co" })).json();
    // Enough failures for the check and the SDK's retries of it.
    await h.emulator.arm({ provider: "conductor", path: "/quickbooks-desktop/health-check", status: 503, times: 4 });
    try {
      const html = await (await client.fetch("/onboarding/connected")).text();
      expect(html).toContain("We could not check your connection just now");
    } finally {
      await h.emulator.disarm();
    }
    expect((await client.json(`/api/end-users/${endUser.id}/connection/check`, {})).status).toBe(200);
    expect((await client.json(`/api/end-users/${endUser.id}/connection/check`, {})).status).toBe(429);
  });

  it("keeps a health check's unit spent when Conductor never answers it: Conductor may still be asking QuickBooks Desktop, so a budget of 1 refuses the next check", async () => {
    const app = await h.startApp({ CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE: "1" });
    await awayFromWindowEdge();
    const client = await h.signIn(h.uniqueEmail("check-hang"), app.origin);
    const { endUser } = await (await client.json("/api/end-users", { companyName: "Silent Books Co" })).json();
    const path = "/quickbooks-desktop/health-check";
    const since = Date.now();
    await h.emulator.arm({ provider: "conductor", path, hang: true, times: 4 });
    try {
      const timedOut = await client.json(`/api/end-users/${endUser.id}/connection/check`, {});
      expect([timedOut.status, timedOut.headers.get("ratelimit-remaining")]).toEqual([504, "0"]);
      const next = await client.json(`/api/end-users/${endUser.id}/connection/check`, {});
      expect([next.status, (await next.json()).error.code]).toEqual([429, "rate_limited"]);
    } finally {
      await h.emulator.disarm();
    }
    expect(await h.emulator.calls({ provider: "conductor", path, since })).toHaveLength(1);
  });

  it("with the check budget spent, /onboarding/connected reads Conductor's record and says Connected for a setup completed since, however fresh the cached copy", async () => {
    // The check just before the setup cached the end-user: an hour's freshness would let that copy answer.
    const app = await h.startApp({ CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE: "1", CONDUCTOR_READ_FRESH_SECONDS: "3600" });
    await awayFromWindowEdge();
    const client = await h.signIn(h.uniqueEmail("check-spent"), app.origin);
    const { endUser } = await (await client.json("/api/end-users", { companyName: "Checked Often Co" })).json();
    expect((await client.json(`/api/end-users/${endUser.id}/connection/check`, {})).status).toBe(200);
    const session = await (await client.json(`/api/end-users/${endUser.id}/auth-sessions`, {})).json();
    await pressSetupButton(session.authSession.authFlowUrl);
    const since = Date.now();
    const html = (await (await client.fetch("/onboarding/connected")).text()).replaceAll("<!-- -->", "");
    // Said as the record it is, not as a check that QuickBooks Desktop answers now.
    expect(html.replaceAll("&#x27;", "'")).toContain(
      "Status as read just now: Connected. Not checked again now. This company's QuickBooks Desktop checks are used up until the next minute: 1 each clock minute, whoever asks. Loading this page checks too, as Check now does.",
    );
    expect(html).not.toContain("Connected. Your QuickBooks Desktop answered Conductor");
    const path = "/quickbooks-desktop/health-check";
    expect(await h.emulator.calls({ provider: "conductor", path, since })).toEqual([]);
  });

  it("with the check budget spent and Conductor's record out of reach, /onboarding/connected says so and shows the last known status as such", async () => {
    const app = await h.startApp({ CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE: "1" });
    await awayFromWindowEdge();
    const client = await h.signIn(h.uniqueEmail("check-spent-down"), app.origin);
    const { endUser } = await (await client.json("/api/end-users", { companyName: "Checked Down Co" })).json();
    expect((await client.json(`/api/end-users/${endUser.id}/connection/check`, {})).status).toBe(200);
    await h.emulator.arm({ provider: "conductor", path: `/end-users/${endUser.id}`, status: 503, times: 4 });
    try {
      const html = (await (await client.fetch("/onboarding/connected")).text()).replaceAll("<!-- -->", "");
      expect(html).toContain("Conductor could not be asked just now; last known status: Not started.");
      expect(html).not.toContain("read just now");
    } finally {
      await h.emulator.disarm();
    }
  });
});
