/**
 * Exactly one Conductor end-user per customer, whatever happens to the request that creates it:
 * concurrent submits, a timeout after Conductor created it, refusals, failures, our own write
 * failing. Everything runs against the real app over HTTP, the sandbox Conductor over HTTP and
 * Postgres.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireClaim } from "@/lib/data/onboarding-claims";
import { h, type HttpClient } from "../support/harness";
import { awayFromWindowEdge } from "../support/rate-windows";

/** How long after a POST the app trusts Conductor's list about it (the test app's CREATE_SETTLE_SECONDS). */
const SETTLE_MS = Number(h.stack.appEnv.CREATE_SETTLE_SECONDS) * 1000;

const create = (client: HttpClient, body: unknown = { companyName: "Acme Inc." }) =>
  client.json("/api/end-users", body);
const postsSince = (since: number) =>
  h.emulator.calls({ provider: "conductor", method: "POST", path: "/end-users", since });

beforeEach(() => h.emulator.disarm());
afterEach(() => h.emulator.disarm());

describe("exactly-once onboarding", () => {
  it("50 submits for one customer while the first one's POST is in flight: 1 POST, 1 end-user, and every other submit refused exactly (409 in progress, or 429 over the budget)", async () => {
    // An app that waits 20 s for Conductor, which takes 6 s to create: the first submit holds the
    // claim while the 49 others arrive, whatever the machine's load. A budget of 10 creates a
    // minute, counted for a client address of this test's own, refuses the last 40 first.
    const app = await h.startApp({ CONDUCTOR_TIMEOUT_MS: "20000", CREATE_RATE_LIMIT_PER_MINUTE: "10" });
    const email = h.uniqueEmail("concurrent");
    const client = await h.signIn(email, app.origin);
    const id = await h.userIdFor(email);
    const address = { "x-real-ip": `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250)).join(".")}` };
    const submit = () => client.json("/api/end-users", { companyName: "Acme Inc." }, { headers: address });
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", delayMs: 6000, times: 1 });
    // All 50 must count in one minute's window of the budget: the burst takes up to ≈ 15 s here.
    await awayFromWindowEdge(20_000);
    const since = Date.now();

    const first = submit();
    await expect.poll(async () => (await postsSince(since)).length, { timeout: 15_000 }).toBe(1);
    const others = await Promise.all(Array.from({ length: 49 }, submit));
    const answers = await Promise.all(
      others.map(async (r) => ({
        status: r.status,
        code: (await r.json()).error?.code,
        retry: r.headers.get("retry-after"),
      })),
    );
    expect(answers.filter((a) => a.status === 409 && a.code === "onboarding_in_progress")).toHaveLength(9);
    const limited = answers.filter((a) => a.status === 429 && a.code === "rate_limited");
    expect(limited).toHaveLength(40);
    for (const answer of limited) expect(Number(answer.retry)).toBeGreaterThan(0);
    expect((await first).status).toBe(201);

    expect(await postsSince(since)).toHaveLength(1);
    expect(await h.cachedCount(id)).toBe(1);
    expect(await h.upstream(id)).toHaveLength(1);
  });

  it("the form sent from a second tab while the first tab's POST is in flight answers with the page showing it in progress, which follows it to the end; the API's 409 names the company being set up", async () => {
    // Conductor takes 4 s, well within this app's wait, so the second tab arrives while the first waits.
    const app = await h.startApp({ CONDUCTOR_TIMEOUT_MS: "20000" });
    const email = h.uniqueEmail("second-tab");
    const client = await h.signIn(email, app.origin);
    const id = await h.userIdFor(email);
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", delayMs: 4000, times: 1 });
    const since = Date.now();
    const first = create(client, { companyName: "Beta Name" });
    await expect.poll(async () => (await postsSince(since)).length, { timeout: 10_000 }).toBe(1);
    const second = await h.actions.call(
      client,
      "/onboarding",
      h.actions.id("app/onboarding/actions.ts", "onboardAction"),
      { companyName: "Alpha Name" },
      { previousState: h.actions.idleState },
    );
    expect(h.actions.formState(second.body)).toMatchObject({ status: "error", code: "onboarding_in_progress" });
    // The page in the same answer: the first tab's company being set up, and what refreshes it.
    expect(second.body).toMatch(/Setting up .*Beta Name.*with\s*Conductor/s);
    expect(second.body).toContain("RefreshWhilePending");
    // Through the API, the refusal names the company being set up, whatever this request asked for.
    const third = await create(client, { companyName: "Gamma Name" });
    expect(third.status).toBe(409);
    expect((await third.json()).error).toEqual({
      code: "onboarding_in_progress",
      message: expect.stringMatching(/^Beta Name is already being set up with Conductor by another request/),
    });
    expect((await first).status).toBe(201);
    expect(await postsSince(since)).toHaveLength(1);
    expect(await h.upstream(id)).toHaveLength(1);
  });

  it("a customer retrying after a timeout gets the end-user Conductor created, not a second one", async () => {
    const { client, id } = await h.customer("retry-after-timeout");
    await h.emulator.armSilentCreate();
    const since = Date.now();
    expect((await create(client)).status).toBe(504);
    const retry = await create(client);
    expect(retry.status).toBe(200);
    expect((await retry.json()).endUser.sourceId).toBe(id);
    expect(await postsSince(since)).toHaveLength(1);
    expect(await h.upstream(id)).toHaveLength(1);
  });

  it("the onboarding form told of a timeout keeps saying so: its state carries no wait to drop it after, as only a spent budget's refusal does", async () => {
    const { client } = await h.customer("form-timeout");
    await h.emulator.armSilentCreate();
    const { body } = await h.actions.onboard(client, "Timed Out Form Co");
    const state = h.actions.formState(body);
    expect(state).toMatchObject({ status: "error", code: "upstream_timeout" });
    expect((state as { retryAfterSeconds?: number }).retryAfterSeconds).toBeUndefined();
  });

  it("an answer cut off mid-body → 502 naming Conductor's request id; the retry gets the end-user Conductor created, not a second one", async () => {
    const { client, id } = await h.customer("answer-cut-off");
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", truncate: true, times: 1 });
    const since = Date.now();
    const response = await create(client);
    expect(response.status).toBe(502);
    const { error } = await response.json();
    expect(error).toMatchObject({
      code: "upstream_invalid_response",
      message: expect.stringMatching(
        /^Conductor answered with something we could not understand\. .*may still have created/,
      ),
      conductorRequestId: expect.stringMatching(/^req_/),
    });
    expect(await h.claim(id)).toMatchObject({ state: "OUTCOME_UNKNOWN" });
    const retry = await create(client);
    expect(retry.status).toBe(200);
    expect((await retry.json()).endUser.sourceId).toBe(id);
    expect(await postsSince(since)).toHaveLength(1);
    expect(await h.upstream(id)).toHaveLength(1);
  });

  it("a submit while another request holds the claim is told to check again in a few seconds, with a Retry-After of the lease left, at most 5", async () => {
    const { client, id, email } = await h.customer("claim-held");
    const held = await acquireClaim({ sourceId: id, companyName: "Held Elsewhere Co", email }, 60_000);
    expect(held.kind).toBe("acquired");
    const response = await create(client);
    expect(response.status).toBe(409);
    // The lease has a minute left: the suggestion is capped at 5 seconds.
    expect(response.headers.get("retry-after")).toBe("5");
    const { error } = await response.json();
    expect(error).toMatchObject({ code: "onboarding_in_progress" });
    expect(error.message).toBe(
      "Held Elsewhere Co is already being set up with Conductor by another request (another tab, an operator, our background check, or an earlier try waiting for Conductor). Check again in a few seconds.",
    );
    expect(await h.upstream(id)).toHaveLength(0);
  });

  it.each([
    [400, 400, "upstream_invalid_request", "Submit again"],
    [401, 502, "upstream_auth_failed", "Try again"],
    [429, 429, "upstream_rate_limited", "Try again"],
  ])(
    "Conductor refusing with %i → %i %s with the request id; nothing done; the page offers %j; a retry succeeds",
    async (upstream, status, code, button) => {
      const { client, id } = await h.customer(`refused-${upstream}`);
      await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: upstream, times: 1 });
      const response = await create(client);
      expect(response.status).toBe(status);
      const { error } = await response.json();
      expect(error).toMatchObject({ code, conductorRequestId: expect.stringMatching(/^req_/) });
      expect(error.message.length).toBeGreaterThan(10);
      expect(await h.claim(id)).toMatchObject({ state: "FAILED", conductorRequestId: error.conductorRequestId });
      expect(await h.cachedCount(id)).toBe(0);

      const page = await (await client.fetch("/onboarding")).text();
      expect(page).toContain(error.conductorRequestId);
      expect(page).toContain(`>${button}</button>`);
      // A refusal as invalid is of the name typed, the customer's only input: the field says so.
      const fieldFlagged = /<input[^>]*id="companyName"[^>]*aria-invalid="true"/.test(page);
      expect(fieldFlagged).toBe(upstream === 400);
      expect(page.includes("was not accepted by Conductor: change it, then submit it again")).toBe(upstream === 400);
      // The trail says nothing was created without calling a rate limit a refusal of the request.
      const trail = await (await (await h.operator()).fetch(`/audit?sourceId=${encodeURIComponent(id)}`)).text();
      expect(trail).toContain("Conductor did not create it: refused, or rate-limited");

      expect((await create(client)).status).toBe(201);
      expect(await h.upstream(id)).toHaveLength(1);
    },
  );

  it("Conductor failing with 500 → 502 with the request id; a retry too soon gets 409 with Retry-After; the retry looks upstream first, then creates once", async () => {
    const { client, id } = await h.customer("refused-500");
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: 500, times: 1 });
    const since = Date.now();
    const response = await create(client);
    expect(response.status).toBe(502);
    const { error } = await response.json();
    // What Conductor said, and that the company may exist all the same: check later, not at once.
    expect(error).toEqual({
      code: "upstream_error",
      message:
        "Conductor had a problem answering. Conductor may still have created Acme Inc.: we check with it before " +
        "trying again, so you will not end up with two accounts. Check again in about 1 minute.",
      conductorRequestId: expect.stringMatching(/^req_/),
    });
    // Not "try again at once": the same settle window the message speaks of, for a client that reads headers.
    expect(response.headers.get("retry-after")).toBe(String(Math.ceil(SETTLE_MS / 1_000)));
    expect(await h.cachedCount(id)).toBe(0);
    const page = (await (await client.fetch("/onboarding")).text()).replaceAll("<!-- -->", "");
    expect(page).toContain(
      "and could not tell whether it did: Conductor had a problem answering. We check with Conductor",
    );
    expect(page).not.toContain("did not hear back");

    const tooSoon = await create(client);
    expect(tooSoon.status).toBe(409);
    expect((await tooSoon.json()).error.message).toMatch(
      /^Conductor may still have created Acme Inc\.: .* Check again in about 1 minute\.$/,
    );
    // What is left of the settle window, in seconds, for a client that reads headers rather than prose.
    const retryAfter = Number(tooSoon.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(SETTLE_MS / 1_000));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 200));
    const retry = await create(client);
    expect(retry.status).toBe(201);
    expect((await postsSince(since)).length).toBe(2);
    expect(await h.upstream(id)).toHaveLength(1);
    const lists = await h.emulator.calls({ provider: "conductor", method: "GET", path: "/end-users", since });
    expect(lists.length).toBeGreaterThanOrEqual(2);
  });

  it("a retry under another name while the first POST may still land names the company that POST asked for, then creates the new name once", async () => {
    const { client, id } = await h.customer("renamed-retry");
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: 500, times: 1 });
    const since = Date.now();
    expect((await create(client, { companyName: "Hotel Ltd" })).status).toBe(502);

    const tooSoon = await create(client, { companyName: "Other Ltd" });
    expect(tooSoon.status).toBe(409);
    expect((await tooSoon.json()).error.message).toMatch(/^Conductor may still have created Hotel Ltd: /);
    const page = (await (await client.fetch("/onboarding")).text()).replaceAll("<!-- -->", "");
    expect(page).toContain("We asked Conductor to create <strong>Hotel Ltd</strong>");

    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 200));
    const retry = await create(client, { companyName: "Other Ltd" });
    expect(retry.status).toBe(201);
    expect((await retry.json()).endUser.companyName).toBe("Other Ltd");
    expect((await postsSince(since)).length).toBe(2);
    expect(await h.upstream(id)).toHaveLength(1);
  });

  it("the database write failing after Conductor answered leaves no orphan: the next attempt records it", async () => {
    const { client, id } = await h.customer("db-write-fails");
    await h.sql(`CREATE OR REPLACE FUNCTION refuse_end_user() RETURNS trigger AS $$ BEGIN
                 IF NEW."sourceId" = '${id}' THEN RAISE EXCEPTION 'injected write failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await h.sql(
      `CREATE TRIGGER refuse_end_user BEFORE INSERT ON "ConductorEndUser" FOR EACH ROW EXECUTE FUNCTION refuse_end_user()`,
    );
    const since = Date.now();
    try {
      const response = await create(client);
      expect(response.status).toBe(503);
      expect((await response.json()).error.message).toMatch(/created with Conductor/);
    } finally {
      await h.sql(`DROP TRIGGER refuse_end_user ON "ConductorEndUser"`);
    }
    expect(await h.upstream(id)).toHaveLength(1);
    expect(await h.cachedCount(id)).toBe(0);

    expect((await create(client)).status).toBe(200);
    expect(await h.cachedCount(id)).toBe(1);
    expect(await postsSince(since)).toHaveLength(1);
  });

  it("if Conductor refuses a duplicate sourceId with 409, the retry finds the end-user that already exists", async () => {
    const { client, id, email } = await h.customer("duplicate-409");
    const existing = await h.conductor.endUsers.create({ companyName: "Created Elsewhere", sourceId: id, email });
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: 409, times: 1 });
    const since = Date.now();
    expect((await create(client)).status).toBe(502);
    const retry = await create(client);
    expect(retry.status).toBe(200);
    expect((await retry.json()).endUser.id).toBe(existing.id);
    expect(await postsSince(since)).toHaveLength(1);
    expect(await h.upstream(id)).toHaveLength(1);
  });

  it("an operator creating again for a sourceId with another company name and email gets 200 with the end-user as it is: nothing sent is applied, and the document says so", async () => {
    const operator = await h.operator();
    const sourceId = `again-${Date.now()}`;
    const first = { companyName: "First Name Ltd", email: "first@example.test", sourceId };
    expect((await create(operator, first)).status).toBe(201);
    const since = Date.now();
    const again = await create(operator, { companyName: "Second Name Ltd", email: "second@example.test", sourceId });
    expect(again.status).toBe(200);
    expect((await again.json()).endUser).toMatchObject({ companyName: "First Name Ltd", email: "first@example.test" });
    expect(await postsSince(since)).toHaveLength(0);
    const document = await (await fetch(`${h.stack.appOrigin}/api/openapi.json`)).json();
    expect(document.paths["/api/end-users"].post.responses["200"].description).toMatch(
      /whatever companyName or email this request sent/,
    );
  });
});
