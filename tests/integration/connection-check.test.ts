/**
 * The cached connection and Conductor's health check through the API: what a check finds is
 * stored (and audited when the status changes), a failure on Conductor's side keeps the last
 * status, an offboarded end-user has no connection left, and the page Conductor's flow returns to.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { checkedMessage, pressSetupButton } from "../support/connect";
import { h, type HttpClient } from "../support/harness";
import { post, conductorCalls, audits, openSetup, check, connection, type ConnectionBody } from "./connection/api";
import { deleteUnderWay } from "./offboarding/steps";
import { awayFromWindowEdge } from "../support/rate-windows";

let operator: HttpClient;

beforeAll(async () => {
  operator = await h.operator();
});
beforeEach(() => h.emulator.disarm());
afterEach(() => h.emulator.disarm());

/** A customer whose setup was completed: where it returns to. */
async function setupDone(label: string, companyName: string) {
  const { client, endUser } = await h.onboardedCustomer(label, companyName);
  const { authFlowUrl, redirectUrl } = await openSetup(client, endUser.id);
  await pressSetupButton(authFlowUrl);
  return { client, endUser, redirectUrl };
}

describe("GET /api/end-users/[id]/connection", () => {
  it("takes Conductor's answers that carry fields conductor-node does not know yet: the setup opens and the check stores what it found", async () => {
    const { client, endUser } = await h.onboardedCustomer("added-fields", "Added Fields Co");
    const addFields = { integrationSlug: "quickbooks_desktop", addedLater: { nested: true } };
    // The sandbox does add them.
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/auth-sessions", addFields, times: 1 });
    const raw = (await h.conductor.authSessions.create({
      publishableKey: h.stack.publishableKey,
      endUserId: endUser.id,
    })) as unknown as Record<string, unknown>;
    expect(raw).toMatchObject(addFields);

    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/auth-sessions", addFields, times: 1 });
    const session = await openSetup(client, endUser.id);
    expect(Object.keys(session).sort()).toEqual(["authFlowUrl", "expiresAt", "id", "redirectUrl"]);
    await pressSetupButton(session.authFlowUrl);
    await h.emulator.arm({ provider: "conductor", path: "/quickbooks-desktop/health-check", addFields, times: 1 });
    const checked = await check(client, endUser.id);
    expect(checked.status).toBe(200);
    expect(((await checked.json()) as ConnectionBody).connection.status).toBe("connected");
  });

  it("answers the cached connection and never calls Conductor", async () => {
    const { client, endUser } = await h.onboardedCustomer("cached", "Cached Connection Co");
    const since = Date.now();
    expect(await connection(client, endUser.id)).toEqual({
      status: "not_started",
      checkedAt: null,
      message: null,
      conductorRequestId: null,
    });
    // Completing the flow upstream changes nothing here until something asks Conductor.
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    expect((await connection(client, endUser.id)).status).toBe("not_started");
    expect((await conductorCalls(since)).map((call) => call.path)).toEqual(["/auth-sessions"]);
  });
});

describe("how old a status the customer's pages show is", () => {
  it("/ and /onboarding say a status was never checked, then when it last was", async () => {
    const { client, endUser } = await h.onboardedCustomer("status-age", "Status Age Co");
    const text = async (path: string) =>
      (await (await client.fetch(path)).text()).replaceAll("<!-- -->", "").replace(/<[^>]+>/g, " ");
    expect(await text("/")).toContain("(not checked yet)");
    expect(await text("/onboarding")).toMatch(/Last health check\s+none yet/);
    const { connection: found } = (await (await check(client, endUser.id)).json()) as ConnectionBody;
    const checkedAt = `${found.checkedAt!.replace("T", " ").slice(0, 19)} UTC`;
    expect(await text("/")).toMatch(/\(last checked\s+just now\s*\)/);
    expect(await text("/onboarding")).toMatch(new RegExp(`Last health check\\s+${checkedAt}`));
  });

  it("a Connected status that came from QuickBooks Desktop answering after a failed check says so beside the check's time", async () => {
    const { client, endUser } = await h.onboardedCustomer("answered-since", "Answered Since Co");
    const text = async (path: string) =>
      (await (await client.fetch(path)).text()).replaceAll("<!-- -->", "").replace(/<[^>]+>/g, " ");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    await h.emulator.setConnection(endUser.id, "offline");
    const { connection: failed } = (await (await check(client, endUser.id)).json()) as ConnectionBody;
    expect(failed.status).toBe("needs_attention");
    const checkedAt = `${failed.checkedAt!.replace("T", " ").slice(0, 19)} UTC`;
    // Someone at that computer opens QuickBooks Desktop: Conductor records its answer; a read brings it here.
    await h.emulator.setConnection(endUser.id, "connected");
    const read = (await (await client.fetch(`/api/end-users/${endUser.id}`)).json()) as {
      endUser: { connection: { status: string }; integrationConnections: { lastSuccessfulRequestAt: string }[] };
    };
    expect(read.endUser.connection.status).toBe("connected");
    const answeredAt = `${read.endUser.integrationConnections[0]!.lastSuccessfulRequestAt.replace("T", " ").slice(0, 19)} UTC`;
    expect(await text("/onboarding")).toMatch(
      new RegExp(`Last health check\\s+${checkedAt}; QuickBooks Desktop answered Conductor since, at ${answeredAt}`),
    );
    expect(await text(`/end-users/${endUser.id}`)).toContain(`answered Conductor since, at ${answeredAt}`);
  });
});

describe("POST /api/end-users/[id]/connection/check", () => {
  it("before the setup: not_started, checked now, and Conductor's 4xx 'not set up' asked once (never retried)", async () => {
    const { client, endUser } = await h.onboardedCustomer("not-set-up", "Not Set Up Co");
    const since = Date.now();
    const response = await check(client, endUser.id);
    expect(response.status).toBe(200);
    const { connection: found } = (await response.json()) as ConnectionBody;
    expect(found).toEqual({
      status: "not_started",
      checkedAt: expect.stringMatching(/Z$/),
      message: null,
      conductorRequestId: expect.stringMatching(/^req_/),
    });
    const checks = await conductorCalls(since, "/quickbooks-desktop/health-check");
    expect(checks.map((call) => call.status)).toEqual([409]);
    expect(await audits(endUser.id, "CONNECTION_STATUS_CHANGED")).toBe(0);
  });

  it("after the setup: connected, the cached connections refreshed, and the change audited", async () => {
    const { client, email, endUser } = await h.onboardedCustomer("connected", "Connected Books Inc");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    const { connection: found } = (await (await check(client, endUser.id)).json()) as ConnectionBody;
    expect(found).toMatchObject({
      status: "connected",
      message: null,
      conductorRequestId: expect.stringMatching(/^req_/),
    });
    const cached = (await (await client.fetch(`/api/end-users/${endUser.id}?cache=only`)).json()) as {
      endUser: {
        integrationConnections: { integrationSlug: string; lastSuccessfulRequestAt: string | null }[];
        connection: unknown;
      };
    };
    expect(cached.endUser.connection).toEqual(found);
    expect(cached.endUser.integrationConnections).toEqual([
      expect.objectContaining({ integrationSlug: "quickbooks_desktop", lastSuccessfulRequestAt: expect.any(String) }),
    ]);
    const [event] = await h.sql<{ actor: string; conductorRequestId: string; data: Record<string, unknown> }>(
      `SELECT "actor", "conductorRequestId", "data" FROM "AuditEvent"
       WHERE "endUserId" = $1 AND "action" = 'CONNECTION_STATUS_CHANGED'`,
      [endUser.id],
    );
    expect(event).toEqual({
      actor: email,
      conductorRequestId: found.conductorRequestId,
      data: { from: "not_started", to: "connected", outcome: "passed" },
    });
  });

  it("QuickBooks unreachable: needs_attention with Conductor's advice, everywhere the end-user is answered", async () => {
    const { client, endUser } = await h.onboardedCustomer("offline", "Offline Books Inc");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    await h.emulator.setConnection(endUser.id, "offline");
    const response = await check(client, endUser.id);
    expect(response.status).toBe(200);
    const { connection: found } = (await response.json()) as ConnectionBody;
    expect(found.status).toBe("needs_attention");
    expect(found.message).toMatch(/QuickBooks Desktop is open .* Web Connector is running/);
    const lookup = await operator.fetch(`/api/end-users/lookup?id=${endUser.id}`);
    expect((await lookup.json()).connectionStatus).toBe("needs_attention");
    const listed = await (await operator.fetch(`/api/end-users?q=${endUser.id}`)).json();
    expect(listed.data[0].connection).toEqual(found);

    await h.emulator.setConnection(endUser.id, "connected");
    const fixed = ((await (await check(client, endUser.id)).json()) as ConnectionBody).connection;
    expect(fixed).toMatchObject({ status: "connected", message: null });

    // Why it needed attention stays in the trail once the status has moved on.
    const trail = await (
      await operator.fetch(`/api/audit?endUserId=${endUser.id}&action=CONNECTION_STATUS_CHANGED`)
    ).json();
    expect(trail.data.map((event: { data: unknown }) => event.data)).toEqual([
      { from: "needs_attention", to: "connected", outcome: "passed" },
      { from: "not_started", to: "needs_attention", outcome: "connection_error", message: found.message },
    ]);
    const page = (await (await operator.fetch(`/audit?endUserId=${endUser.id}`)).text()).replaceAll("<!-- -->", "");
    expect(page).toContain(`Not started → Needs attention (health check): Conductor said “${found.message}”`);
  });

  it("in the sandbox, QuickBooks Desktop closed and opened again from the used setup link: needs_attention, then connected", async () => {
    const { client, endUser } = await h.onboardedCustomer("sandbox-computer", "Sandbox Computer Co");
    const { authFlowUrl } = await openSetup(client, endUser.id);
    await pressSetupButton(authFlowUrl);
    const used = await fetch(authFlowUrl);
    expect(used.status).toBe(410);
    expect(await used.text()).toContain("QuickBooks Desktop is open on it");
    const computer = (action: "close" | "open") =>
      fetch(authFlowUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ computer: action }),
      });

    const closed = await computer("close");
    expect(closed.status).toBe(200);
    expect(await closed.text()).toContain(">Open QuickBooks Desktop</button>");
    const { connection: found } = (await (await check(client, endUser.id)).json()) as ConnectionBody;
    expect(found).toMatchObject({ status: "needs_attention", message: expect.stringMatching(/Web Connector/) });

    expect((await computer("open")).status).toBe(200);
    const fixed = ((await (await check(client, endUser.id)).json()) as ConnectionBody).connection;
    expect(fixed).toMatchObject({ status: "connected", message: null });
    expect(await (await fetch(authFlowUrl)).text()).toContain(">Close QuickBooks Desktop</button>");
  });

  it("in the sandbox, a setup completed with QuickBooks Desktop closed: in_progress, then needs_attention once checked, then connected once opened", async () => {
    const { client, endUser } = await h.onboardedCustomer("sandbox-closed-setup", "Closed Setup Co");
    const { authFlowUrl } = await openSetup(client, endUser.id);
    expect((await pressSetupButton(authFlowUrl, "complete_closed")).status).toBe(303);
    const read = await client.fetch(`/api/end-users/${endUser.id}`);
    expect(((await read.json()) as { endUser: ConnectionBody }).endUser.connection.status).toBe("in_progress");

    const { connection: checked } = (await (await check(client, endUser.id)).json()) as ConnectionBody;
    expect(checked).toMatchObject({ status: "needs_attention", message: expect.stringMatching(/Web Connector/) });

    const opened = await fetch(authFlowUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ computer: "open" }),
    });
    expect(opened.status).toBe(200);
    const fixed = ((await (await check(client, endUser.id)).json()) as ConnectionBody).connection;
    expect(fixed).toMatchObject({ status: "connected", message: null });
  });

  it.each([
    ["Conductor fails (500)", 502, "upstream_error", { status: 500 }],
    ["Conductor is unavailable (503)", 502, "upstream_error", { status: 503 }],
    ["the check never answers", 504, "upstream_timeout", { hang: true }],
    [
      "Conductor refuses the check it was sent (400), which carried nothing of the caller's",
      502,
      "upstream_refused",
      { status: 400 },
    ],
  ])("%s: answers %i %s with the envelope, keeps the last status, asks once", async (_label, status, code, fault) => {
    const { client, endUser } = await h.onboardedCustomer("failing", "Failing Check Co");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    await check(client, endUser.id);
    const before = await connection(client, endUser.id);
    expect(before.status).toBe("connected");
    await h.emulator.arm({ provider: "conductor", path: "/quickbooks-desktop/health-check", times: 3, ...fault });
    const since = Date.now();
    const response = await check(client, endUser.id);
    expect(response.status).toBe(status);
    const { error } = await response.json();
    expect(error.code).toBe(code);
    if (code !== "upstream_timeout") expect(error.conductorRequestId).toMatch(/^req_/);
    expect(await connection(client, endUser.id)).toEqual(before);
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toHaveLength(1);
  });
});

describe("a refusal cut off mid-body", () => {
  it("before the setup, Conductor's 'not set up' cut off: 502 upstream_invalid_response with its request id, not what the status alone says", async () => {
    const { client, endUser } = await h.onboardedCustomer("cut-refusal", "Cut Refusal Co");
    await h.emulator.arm({ provider: "conductor", path: "/quickbooks-desktop/health-check", truncate: true, times: 1 });
    const response = await check(client, endUser.id);
    expect(response.status).toBe(502);
    const { error } = await response.json();
    expect(error).toMatchObject({
      code: "upstream_invalid_response",
      conductorRequestId: expect.stringMatching(/^req_/),
    });
    expect((await connection(client, endUser.id)).status).toBe("not_started");
  });
});

describe("an offboarded end-user", () => {
  it("has no connection left: every connection route answers 410 end_user_deleted and asks Conductor nothing", async () => {
    const { client, endUser } = await h.onboardedCustomer("offboarded", "Gone Books Ltd");
    expect((await operator.fetch(`/api/end-users/${endUser.id}`, { method: "DELETE" })).status).toBe(200);
    const since = Date.now();
    for (const who of [client, operator]) {
      const answers = [
        await post(who, `/api/end-users/${endUser.id}/auth-sessions`),
        await post(who, `/api/end-users/${endUser.id}/connect-link`),
        await post(who, `/api/end-users/${endUser.id}/connection/check`),
        await who.fetch(`/api/end-users/${endUser.id}/connection`),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(410);
        expect((await answer.json()).error.code).toBe("end_user_deleted");
      }
    }
    expect(await conductorCalls(since)).toEqual([]);
  });

  it("racing an offboarding that already deleted it in Conductor: checks, setups and links answer 409 offboarding_in_progress; deleted elsewhere, 404", async () => {
    const { client, endUser } = await h.onboardedCustomer("offboarding-race", "Racing Offboard Co");
    await h.conductor.endUsers.delete(endUser.id);
    const gone = await check(client, endUser.id);
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe("end_user_not_found");
    await deleteUnderWay(endUser.id);
    for (const who of [client, operator]) {
      for (const path of ["connection/check", "auth-sessions", "connect-link"]) {
        const racing = await post(who, `/api/end-users/${endUser.id}/${path}`);
        expect(racing.status, path).toBe(409);
        expect((await racing.json()).error.code, path).toBe("offboarding_in_progress");
      }
    }
  });
});

describe("a check Conductor answers after the end-user was offboarded", () => {
  it("answers 410 end_user_deleted and stores nothing: the tombstone stays not_started, no status change is audited, and it is not listed as connected", async () => {
    const { client, endUser } = await h.onboardedCustomer("check-outlived", "Outlived Check Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    const path = "/quickbooks-desktop/health-check";
    // Conductor has checked (QuickBooks answered), but its answer is late: the offboarding lands first.
    await h.emulator.arm({ provider: "conductor", method: "GET", path, delayMs: 2_000, afterCommit: true, times: 1 });
    const since = Date.now();
    const checking = check(client, endUser.id);
    await vi.waitFor(async () => expect(await conductorCalls(since, path)).toHaveLength(1), { timeout: 2_000 });
    expect((await operator.fetch(`/api/end-users/${endUser.id}`, { method: "DELETE" })).status).toBe(200);

    const late = await checking;
    expect(late.status).toBe(410);
    expect((await late.json()).error.code).toBe("end_user_deleted");
    const [row] = await h.sql<{ connectionStatus: string; connectionCheckOutcome: string | null }>(
      `SELECT "connectionStatus", "connectionCheckOutcome" FROM "ConductorEndUser" WHERE "id" = $1`,
      [endUser.id],
    );
    expect(row).toEqual({ connectionStatus: "not_started", connectionCheckOutcome: null });
    expect(await audits(endUser.id, "CONNECTION_STATUS_CHANGED")).toBe(0);
    const listed = await operator.fetch(`/api/end-users?include=deleted&status=connected&q=${endUser.id}`);
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([]);
  });
});

describe("a status change seen in Conductor's record of the end-user, not by a check", () => {
  const statusEvents = (endUserId: string) =>
    h.sql<{ actor: string; data: unknown }>(
      `SELECT "actor", "data" FROM "AuditEvent" WHERE "endUserId" = $1 AND "action" = 'CONNECTION_STATUS_CHANGED' ORDER BY "at"`,
      [endUserId],
    );
  // The request id of the Conductor answer that showed each change.
  const requestIdsOf = async (endUserId: string) =>
    (
      await h.sql<{ conductorRequestId: string | null }>(
        `SELECT "conductorRequestId" FROM "AuditEvent" WHERE "endUserId" = $1 AND "action" = 'CONNECTION_STATUS_CHANGED' ORDER BY "at"`,
        [endUserId],
      )
    ).map((event) => event.conductorRequestId);
  // Older than the read window (CONDUCTOR_READ_FRESH_SECONDS), so the next read asks Conductor.
  const ageCache = (endUserId: string) =>
    h.sql(`UPDATE "ConductorEndUser" SET "syncedAt" = "syncedAt" - interval '1 minute' WHERE "id" = $1`, [endUserId]);
  const seen = { from: "not_started", to: "connected", via: "conductor_record" };
  /** Conductor's connection set to `state`, then the end-user read again, from Conductor: the API's answer. */
  const afterConductorSays = async (
    client: HttpClient,
    endUserId: string,
    state: Parameters<typeof h.emulator.setConnection>[1],
  ) => {
    await h.emulator.setConnection(endUserId, state);
    await ageCache(endUserId);
    return (await client.fetch(`/api/end-users/${endUserId}`)).json();
  };
  const checkedStatus = async (client: HttpClient, endUserId: string) =>
    ((await (await check(client, endUserId)).json()) as ConnectionBody).connection.status;

  it("is audited once, in the name of the person whose read of the end-user found it", async () => {
    const { client, email, endUser } = await h.onboardedCustomer("seen-change", "Seen Change Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    await ageCache(endUser.id);
    const answer = await (await client.fetch(`/api/end-users/${endUser.id}`)).json();
    expect(answer).toMatchObject({ fresh: true, endUser: { connection: { status: "connected" } } });
    expect(await statusEvents(endUser.id)).toEqual([{ actor: email, data: seen }]);
    expect(await requestIdsOf(endUser.id)).toEqual([expect.stringMatching(/^req_/)]);
    const trail = (await (await operator.fetch(`/audit?endUserId=${endUser.id}`)).text()).replaceAll("&#x27;", "'");
    expect(trail).toContain("Not started → Connected (seen in Conductor's record)");
    // The customer connected in Conductor: the person whose read found it only read it.
    expect(trail).toMatch(
      new RegExp(`data-label="By"><span class="muted">read by </span>${email.replaceAll(".", "\\.")}<`),
    );

    await ageCache(endUser.id);
    expect((await client.fetch(`/api/end-users/${endUser.id}`)).status).toBe(200);
    expect(await statusEvents(endUser.id)).toHaveLength(1);
  });

  it("a connection removed in Conductor after a check: every answer says not_started, even after a failed check a success had overruled", async () => {
    const { client, endUser } = await h.onboardedCustomer("removed-connection", "Removed Connection Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    await h.emulator.setConnection(endUser.id, "offline");
    expect((await connection(client, endUser.id)).status).toBe("not_started");
    expect(await checkedStatus(client, endUser.id)).toBe("needs_attention");
    // Conductor's record shows a success since that check: connected, through a refresh.
    expect((await afterConductorSays(client, endUser.id, "connected")).endUser.connection.status).toBe("connected");
    // Then the connection is removed in Conductor: the old failed check must not come back.
    const answer = await afterConductorSays(client, endUser.id, "not_set_up");
    expect(answer).toMatchObject({ fresh: true, endUser: { integrationConnections: [] } });
    expect(answer.endUser.connection.status).toBe("not_started");
    expect((await (await operator.fetch(`/api/end-users/lookup?id=${endUser.id}`)).json()).connectionStatus).toBe(
      "not_started",
    );
    const listed = await (await operator.fetch(`/api/end-users?q=${endUser.id}`)).json();
    expect(listed.data[0].connection.status).toBe("not_started");
    expect((await statusEvents(endUser.id)).at(-1)).toEqual({
      actor: expect.any(String),
      data: { from: "connected", to: "not_started", via: "conductor_record" },
    });

    // And after a check that passed, a record without the connection says the same.
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    expect(await checkedStatus(client, endUser.id)).toBe("connected");
    const after = await afterConductorSays(client, endUser.id, "not_set_up");
    expect(after.endUser.connection.status).toBe("not_started");
  });

  it("an end-user deleted in Conductor, once a read of it is answered 404: flagged and audited at once, and /onboarding offers no setup", async () => {
    const { client, email, endUser } = await h.onboardedCustomer("gone-on-read", "Gone On Read Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    expect(await checkedStatus(client, endUser.id)).toBe("connected");
    await h.conductor.endUsers.delete(endUser.id);

    const read = await (await client.fetch(`/api/end-users/${endUser.id}`)).json();
    expect(read).toMatchObject({
      fresh: false,
      notice: expect.stringMatching(/^Conductor no longer has this end-user/),
    });
    expect(read.endUser).toMatchObject({ connection: { status: "not_started" }, integrationConnections: [] });
    const [row] = await h.sql<{ missing: Date | null }>(
      `SELECT "missingUpstreamSince" AS missing FROM "ConductorEndUser" WHERE id = $1`,
      [endUser.id],
    );
    expect(row!.missing).toBeInstanceOf(Date);
    const events = await h.sql<{ action: string; actor: string }>(
      `SELECT action, actor FROM "AuditEvent" WHERE "endUserId" = $1
       AND action IN ('END_USER_MISSING_UPSTREAM', 'CONNECTION_STATUS_CHANGED') AND at > now() - interval '1 minute' ORDER BY action`,
      [endUser.id],
    );
    expect(events).toEqual(
      expect.arrayContaining([
        { action: "END_USER_MISSING_UPSTREAM", actor: email },
        { action: "CONNECTION_STATUS_CHANGED", actor: email },
      ]),
    );
    const [found] = await h.sql<{ how: string[] }>(
      `SELECT array(SELECT jsonb_object_keys(data)) AS how FROM "AuditEvent"
       WHERE "endUserId" = $1 AND action = 'END_USER_MISSING_UPSTREAM'`,
      [endUser.id],
    );
    expect(found!.how).toEqual(["retrievedAt"]);
    const page = await (await client.fetch("/onboarding")).text();
    expect(page).toContain("Conductor no longer lists <strong>Gone On Read Ltd</strong>");
    expect(page).not.toContain("Windows computer that runs QuickBooks Desktop");
  });

  it("a read answered 404 by something other than Conductor's word on the end-user (a wrong base URL) flags nothing", async () => {
    const { email, endUser } = await h.onboardedCustomer("wrong-base-url", "Wrong Base Url Ltd");
    const app = await h.startApp({ CONDUCTOR_BASE_URL: `${h.emulator.conductorUrl()}/not-this-path` });
    const customer = await h.signIn(email, app.origin);
    const read = await (await customer.fetch(`/api/end-users/${endUser.id}`)).json();
    expect(read).toMatchObject({ fresh: false, endUser: { id: endUser.id } });
    const [row] = await h.sql<{ missing: Date | null }>(
      `SELECT "missingUpstreamSince" AS missing FROM "ConductorEndUser" WHERE id = $1`,
      [endUser.id],
    );
    expect(row!.missing).toBeNull();
    expect(
      await h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_MISSING_UPSTREAM'`, [
        endUser.id,
      ]),
    ).toBe(0);
  });

  it("a read answered 404 while an offboarding of the end-user is under way flags nothing: the offboarding settles it", async () => {
    const { client, endUser } = await h.onboardedCustomer("gone-while-offboarding", "Gone While Offboarding Ltd");
    await h.conductor.endUsers.delete(endUser.id);
    await h.sql(
      `INSERT INTO "Offboarding" ("endUserId", "requestedBy", "attempts", "deleteStartedAt", "createdAt", "updatedAt")
       VALUES ($1, 'ops@example.test', 1, now(), now(), now())`,
      [endUser.id],
    );
    await client.fetch(`/api/end-users/${endUser.id}`);
    const [row] = await h.sql<{ missing: Date | null }>(
      `SELECT "missingUpstreamSince" AS missing FROM "ConductorEndUser" WHERE id = $1`,
      [endUser.id],
    );
    expect(row!.missing).toBeNull();
    await h.sql(`DELETE FROM "Offboarding" WHERE "endUserId" = $1`, [endUser.id]);
  });

  it("a check that finds the end-user back in Conductor, renamed, records both changes in the checker's name", async () => {
    const { client, email, endUser } = await h.onboardedCustomer("back-by-check", "Back By Check Ltd");
    await h.sql(
      `UPDATE "ConductorEndUser" SET "missingUpstreamSince" = now(), "companyName" = 'Old Check Name' WHERE id = $1`,
      [endUser.id],
    );
    expect((await check(client, endUser.id)).status).toBe(200);
    const events = await h.sql<{ action: string; actor: string; conductorRequestId: string | null }>(
      `SELECT action, actor, "conductorRequestId" FROM "AuditEvent"
       WHERE "endUserId" = $1 AND action IN ('END_USER_BACK_UPSTREAM', 'END_USER_CHANGED_UPSTREAM') ORDER BY action`,
      [endUser.id],
    );
    expect(events).toEqual([
      { action: "END_USER_BACK_UPSTREAM", actor: email, conductorRequestId: expect.stringMatching(/^req_/) },
      { action: "END_USER_CHANGED_UPSTREAM", actor: email, conductorRequestId: expect.stringMatching(/^req_/) },
    ]);
  });

  it("an end-user deleted in Conductor, once the reconcile finds it gone: not_started everywhere, and /onboarding offers no setup", async () => {
    const { client, endUser } = await h.onboardedCustomer("deleted-upstream", "Deleted Upstream Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    expect(await checkedStatus(client, endUser.id)).toBe("connected");
    await h.conductor.endUsers.delete(endUser.id);
    await h.reconcile();
    const [found] = await h.sql<{ how: string[] }>(
      `SELECT array(SELECT jsonb_object_keys(data)) AS how FROM "AuditEvent"
       WHERE "endUserId" = $1 AND action = 'END_USER_MISSING_UPSTREAM'`,
      [endUser.id],
    );
    expect(found!.how).toEqual(["listedAt"]);

    for (const who of [client, operator]) expect((await connection(who, endUser.id)).status).toBe("not_started");
    const page = await (await client.fetch("/onboarding")).text();
    expect(page).toContain("Conductor no longer lists <strong>Deleted Upstream Ltd</strong>");
    expect(page).not.toContain("Your company is set up with Conductor.");
    expect(page).not.toContain("Windows computer that runs QuickBooks Desktop");
    const listed = await (await operator.fetch(`/api/end-users?status=connected&q=${endUser.id}`)).json();
    expect(listed.data).toEqual([]);
  });

  it("a setup done again after a check that passed: in_progress until the new connection answers, not the old check's connected", async () => {
    const { client, endUser } = await h.onboardedCustomer("setup-again", "Setup Again Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    expect(await checkedStatus(client, endUser.id)).toBe("connected");
    // The connection is removed in Conductor, then a new one is set up that has not answered yet.
    expect((await afterConductorSays(client, endUser.id, "not_set_up")).endUser.connection.status).toBe("not_started");
    const answer = await afterConductorSays(client, endUser.id, "offline");
    expect(answer.endUser.integrationConnections).toEqual([
      expect.objectContaining({ lastRequestAt: null, lastSuccessfulRequestAt: null }),
    ]);
    expect(answer.endUser.connection.status).toBe("in_progress");
    expect((await (await operator.fetch(`/api/end-users/lookup?id=${endUser.id}`)).json()).connectionStatus).toBe(
      "in_progress",
    );
    expect((await statusEvents(endUser.id)).at(-1)).toEqual({
      actor: expect.any(String),
      data: { from: "not_started", to: "in_progress", via: "conductor_record" },
    });
  });

  it("is audited by the reconcile job when its refresh finds it", async () => {
    const { client, endUser } = await h.onboardedCustomer("reconciled-change", "Reconciled Change Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    await h.reconcile();
    expect(await statusEvents(endUser.id)).toEqual([{ actor: "cron", data: seen }]);
    expect(await requestIdsOf(endUser.id)).toEqual([expect.stringMatching(/^req_/)]);
  });
});

describe("/onboarding/connected, where Conductor's setup sends the customer back", () => {
  it("renders the last status at once, then streams what the check found", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned", "Returned Books Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    const since = Date.now();
    const response = await client.fetch("/onboarding/connected");
    expect(response.status).toBe(200);
    const html = await response.text();
    const checking = html.indexOf("Checking your QuickBooks Desktop connection with Conductor");
    const found = html.indexOf("Connected. Your QuickBooks Desktop answered Conductor");
    expect(checking).toBeGreaterThan(-1);
    expect(found).toBeGreaterThan(checking);
    // What it may take is this app's health-check timeout (3 s here), not a figure of speech.
    expect(html.replaceAll("<!-- -->", "")).toContain(
      "This can take up to 3 seconds while QuickBooks Desktop answers.",
    );
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toHaveLength(1);
    expect((await connection(client, endUser.id)).status).toBe("connected");
  });

  it("where another company's customer is signed in, says only that a setup ended here, and has the connection checked for its owner", async () => {
    const { client: owner, endUser } = await h.onboardedCustomer("returned-owner", "Anchor Accounting");
    const { authFlowUrl, redirectUrl } = await openSetup(owner, endUser.id);
    await pressSetupButton(authFlowUrl);
    const { client: neighbour } = await h.onboardedCustomer("returned-neighbour", "Birch Bakery");
    const { client: newcomer } = await h.customer("returned-newcomer");
    const since = Date.now();
    for (const other of [neighbour, newcomer]) {
      const response = await other.fetch(new URL(redirectUrl).pathname + new URL(redirectUrl).search);
      expect(response.status).toBe(200);
      const html = (await response.text()).replaceAll("<!-- -->", "");
      expect(html).toContain("It was for another company than the one you are signed in for");
      expect(html).not.toContain("Birch Bakery");
      expect(html).not.toContain("Anchor Accounting");
      expect(html).not.toContain("The setup was not completed");
      expect(html).not.toContain("Your QuickBooks Desktop answered");
      expect(html).toContain("Conductor is asked now whether QuickBooks Desktop answers");
    }
    // Checked once each page was sent, in the job's name: the owner's cached status follows.
    await vi.waitFor(async () => expect((await connection(owner, endUser.id)).status).toBe("connected"), {
      timeout: 10_000,
      interval: 100,
    });
    expect((await conductorCalls(since, "/quickbooks-desktop/health-check")).length).toBeGreaterThan(0);
    const own = (
      await (await owner.fetch(new URL(redirectUrl).pathname + new URL(redirectUrl).search)).text()
    ).replaceAll("<!-- -->", "");
    expect(own).toMatch(/Back from Conductor(&#x27;|')s setup for <strong>Anchor Accounting<\/strong>/);
    expect(own).toContain("Connected. Your QuickBooks Desktop answered Conductor");
  });

  it("signed out on the computer the setup ran on, has the connection checked once the page is sent, for the operators' list and the customer's pages, showing nobody's status", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-signed-out", "Far Computer Ltd");
    const { authFlowUrl, redirectUrl } = await openSetup(client, endUser.id);
    expect(new URL(redirectUrl).searchParams.get("proof")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await pressSetupButton(authFlowUrl);
    expect((await connection(operator, endUser.id)).status).toBe("not_started");
    const since = Date.now();
    const response = await fetch(redirectUrl);
    expect(response.status).toBe(200);
    const html = (await response.text()).replaceAll("<!-- -->", "");
    expect(html).toContain("Conductor is asked now whether QuickBooks Desktop answers");
    expect(html).not.toContain("Far Computer Ltd");
    // Said to whoever sits there, since this page cannot tell a cancelled setup from a completed one.
    expect(html).toContain(
      "A setup cancelled or left before its end connected nothing: open its link again while it works, or use a new one",
    );
    await vi.waitFor(async () => expect((await connection(operator, endUser.id)).status).toBe("connected"), {
      timeout: 10_000,
      interval: 100,
    });
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toHaveLength(1);
    const trail = await (
      await operator.fetch(`/api/audit?endUserId=${endUser.id}&action=CONNECTION_STATUS_CHANGED`)
    ).json();
    expect(trail.data).toEqual([
      expect.objectContaining({ actor: "system", data: expect.objectContaining({ to: "connected" }) }),
    ]);
  });

  it("signed out, checks nothing for an address this app did not make: no proof, a wrong one, another end-user's, one whose time was moved", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-forged", "Forged Return Ltd");
    const { client: otherClient, endUser: other } = await h.onboardedCustomer(
      "returned-forged-other",
      "Other Return Ltd",
    );
    const mine = new URL((await openSetup(client, endUser.id)).redirectUrl);
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    const theirs = new URL((await openSetup(otherClient, other.id)).redirectUrl);
    const since = Date.now();
    const until = (url: URL) => url.searchParams.get("until")!;
    const proof = (url: URL) => url.searchParams.get("proof")!;
    const forged = [
      `/onboarding/connected?endUser=${endUser.id}`,
      `/onboarding/connected?endUser=${endUser.id}&proof=${proof(mine)}`,
      `/onboarding/connected?endUser=${endUser.id}&until=${until(mine)}&proof=${"A".repeat(32)}`,
      `/onboarding/connected?endUser=${endUser.id}&until=${until(theirs)}&proof=${proof(theirs)}`,
      `/onboarding/connected?endUser=${endUser.id}&until=${until(mine)}&proof=${proof(mine)}&proof=x`,
      `/onboarding/connected?endUser=${endUser.id}&until=${Number(until(mine)) + 86_400}&proof=${proof(mine)}`,
      `/onboarding/connected?endUser=${endUser.id}&until=${until(mine)}&until=${until(mine)}&proof=${proof(mine)}`,
    ];
    for (const path of forged) {
      const html = (await (await fetch(`${h.stack.appOrigin}${path}`)).text()).replaceAll("<!-- -->", "");
      expect(html).toContain("Conductor&#x27;s setup has ended on this computer.");
      expect(html).not.toContain("Conductor is asked now");
    }
    // The proven address, last: once its check is stored, any check the others had started would have been too.
    await fetch(mine);
    await vi.waitFor(async () => expect((await connection(operator, endUser.id)).status).toBe("connected"), {
      timeout: 10_000,
      interval: 100,
    });
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toHaveLength(1);
  });

  it("signed out, says a check runs only while the end-user's budget of return checks (2 a minute) has one left, and spends none of the customer's own Check now", async () => {
    const { client, endUser, redirectUrl } = await setupDone("returned-budget", "Budgeted Return Ltd");
    await awayFromWindowEdge();
    const since = Date.now();
    const said = async () => (await (await fetch(redirectUrl)).text()).includes("Conductor is asked now");
    const saids = [];
    for (let load = 0; load < 7; load++) saids.push(await said());
    expect(saids).toEqual([true, true, false, false, false, false, false]);
    await vi.waitFor(async () => expect((await connection(client, endUser.id)).status).toBe("connected"), {
      timeout: 10_000,
      interval: 100,
    });
    await vi.waitFor(
      async () => expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toHaveLength(2),
      { timeout: 10_000, interval: 100 },
    );
    const own = await client.json(`/api/end-users/${endUser.id}/connection/check`, {});
    expect(own.status).toBe(200);
    expect(Number(own.headers.get("ratelimit-remaining"))).toBe(Number(own.headers.get("ratelimit-limit")) - 1);
  });

  it("signed out, gives the check's unit back when Conductor fails it, so the next return checks again", async () => {
    const { client, endUser, redirectUrl } = await setupDone("returned-failed-budget", "Refunded Return Ltd");
    await awayFromWindowEdge(20_000);
    const since = Date.now();
    await h.emulator.arm({ provider: "conductor", path: "/quickbooks-desktop/health-check", status: 500, times: 100 });
    try {
      const said = async () => (await (await fetch(redirectUrl)).text()).includes("Conductor is asked now");
      expect(await said()).toBe(true);
      expect(await said()).toBe(true);
      // The budget of two a minute is spent until a failed check gives its unit back.
      await vi.waitFor(async () => expect(await said()).toBe(true), { timeout: 10_000, interval: 200 });
      const failed = (await conductorCalls(since, "/quickbooks-desktop/health-check")).map((call) => call.status);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((status) => status === 500)).toBe(true);
      // Failures keep the last status.
      expect((await connection(client, endUser.id)).status).toBe("not_started");
    } finally {
      await h.emulator.disarm();
    }
  });

  it("opened by an operator, has the connection checked once the page is sent, and says so", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-operator", "Operator Return Ltd");
    const { authFlowUrl, redirectUrl } = await openSetup(client, endUser.id);
    await pressSetupButton(authFlowUrl);
    const since = Date.now();
    const html = (
      await (await operator.fetch(new URL(redirectUrl).pathname + new URL(redirectUrl).search)).text()
    ).replaceAll("<!-- -->", "");
    expect(html).toContain(`href="/end-users/${endUser.id}"`);
    expect(html).toContain("Conductor is asked now whether QuickBooks Desktop answers");
    // That page follows the check by itself: nobody is asked to press Check now.
    expect(html).not.toContain("Check now");
    await vi.waitFor(async () => expect((await connection(operator, endUser.id)).status).toBe("connected"), {
      timeout: 10_000,
      interval: 100,
    });
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toHaveLength(1);
  });

  it("tells a customer whose end-user was offboarded since that the setup was for it, before and after onboarding again; anyone else hears only that a setup ended, and no check is promised or run", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-offboarded", "Former Firm Ltd");
    const { authFlowUrl, redirectUrl } = await openSetup(client, endUser.id);
    await pressSetupButton(authFlowUrl);
    expect((await operator.fetch(`/api/end-users/${endUser.id}`, { method: "DELETE" })).status).toBe(200);
    const returnAddress = new URL(redirectUrl).pathname + new URL(redirectUrl).search;
    const page = async (who = client) => (await (await who.fetch(returnAddress)).text()).replaceAll("<!-- -->", "");
    const since = Date.now();

    expect(await page()).toMatch(/It was for <strong>Former Firm Ltd<\/strong>, which was offboarded on /);
    expect((await client.json("/api/end-users", { companyName: "Latter Firm Ltd" })).status).toBe(201);
    const after = await page();
    expect(after).toMatch(/It was for <strong>Former Firm Ltd<\/strong>, which was offboarded on /);
    expect(after).not.toContain("another company");

    const { client: stranger } = await h.onboardedCustomer("returned-offboarded-stranger", "Stranger Shop");
    const theirs = await page(stranger);
    expect(theirs).toContain("It was for another company than the one you are signed in for");
    expect(theirs).not.toContain("Former Firm Ltd");
    expect(theirs).not.toContain("Conductor is asked now");
    // Signed out, or an operator: no check is promised for an end-user that is gone, and none runs.
    for (const html of [await (await fetch(redirectUrl)).text(), await page(operator)])
      expect(html.replaceAll("<!-- -->", "")).not.toContain("Conductor is asked now");
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toEqual([]);
  });

  it("says the setup was not completed when it was not", async () => {
    const { client } = await h.onboardedCustomer("returned-early", "Cancelled Setup Ltd");
    const html = await (await client.fetch("/onboarding/connected")).text();
    expect(html).toContain("The setup was not completed, so QuickBooks Desktop is not connected yet.");
  });

  it("when Conductor fails, says it could not check and shows the last known status", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-failing", "Unlucky Return Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    await check(client, endUser.id);
    await h.emulator.arm({ provider: "conductor", path: "/quickbooks-desktop/health-check", status: 500, times: 3 });
    // React separates adjacent text with <!-- --> in server-rendered HTML.
    const html = (await (await client.fetch("/onboarding/connected")).text()).replaceAll("<!-- -->", "");
    expect(html).toContain("We could not check your connection just now: Conductor had a problem answering.");
    expect(html).toContain("Status as read just now: Connected.");
    expect((await connection(client, endUser.id)).status).toBe("connected");
  });

  it("when the check fails right after a setup, shows Conductor's record of the completed setup, not the status cached before it", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-unchecked", "Fresh Setup Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    expect((await connection(client, endUser.id)).status).toBe("not_started");
    await h.emulator.arm({ provider: "conductor", path: "/quickbooks-desktop/health-check", status: 500, times: 3 });
    const html = (await (await client.fetch("/onboarding/connected")).text()).replaceAll("<!-- -->", "");
    expect(html).toContain("We could not check your connection just now: Conductor had a problem answering.");
    expect(html).toContain("Status as read just now: Connected.");
    expect(html).not.toContain("Your last known status is Not started.");
  });

  it("when both the check and Conductor's record fail, says so and shows the last known status", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-all-failing", "Unlucky Twice Ltd");
    await h.emulator.arm({ provider: "conductor", path: "/quickbooks-desktop/health-check", status: 500, times: 3 });
    await h.emulator.arm({
      provider: "conductor",
      method: "GET",
      path: `/end-users/${endUser.id}`,
      status: 500,
      times: 3,
    });
    const html = (await (await client.fetch("/onboarding/connected")).text()).replaceAll("<!-- -->", "");
    expect(html).toContain("We could not check your connection just now: Conductor had a problem answering.");
    expect(html).toContain("Your last known status is Not started.");
  });

  const healthChecks = (since: number) => conductorCalls(since, "/quickbooks-desktop/health-check");

  it("fetched again as React data (its panel following a check or a change of status), shows the cached status, without the last check's request id, and runs no second check", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-refetched", "Refetched Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    const since = Date.now();
    const first = (await (await client.fetch("/onboarding/connected")).text()).replaceAll("<!-- -->", "");
    expect(first).toContain("Connected. Your QuickBooks Desktop answered Conductor");
    expect(first).toContain("Conductor request id: <code>req_");
    expect(await healthChecks(since)).toHaveLength(1);
    // As the router asks: a fetch, not a navigation. Next.js sends it on to the path with its `_rsc` parameter.
    const refetch = { RSC: "1", "Sec-Fetch-Dest": "empty" };
    const asked = await client.fetch("/onboarding/connected", { headers: refetch });
    const location = asked.status === 307 ? asked.headers.get("location") : null;
    const again = location ? await client.fetch(location, { headers: refetch }) : asked;
    expect(again.status).toBe(200);
    const data = await again.text();
    expect(data).toContain("Connected. Your QuickBooks Desktop answered Conductor");
    // The cached status may come from Conductor's record after a failed check: no check's id is tied to it.
    expect(data).not.toContain("Conductor request id: ");
    expect(await healthChecks(since)).toHaveLength(1);
  });

  it("after Check now posted without JavaScript, shows that check's outcome and runs no second one", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-no-script", "No Script Check Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    const page = await (await client.fetch("/onboarding/connected")).text();
    const form = [...page.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)]
      .map(([, inner]) => inner!)
      .find((inner) => inner.includes(">Check now<"));
    expect(form).toBeDefined();
    const body = new FormData();
    for (const [, name, value] of form!.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g))
      body.append(name!, (value ?? "").replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
    const since = Date.now();
    const response = await client.fetch("/onboarding/connected", {
      method: "POST",
      headers: { Origin: client.origin, Accept: "text/html" },
      body,
    });
    expect(response.status).toBe(200);
    const html = (await response.text()).replaceAll("<!-- -->", "");
    expect(html).toMatch(checkedMessage("Connected"));
    expect(html).toContain("Connected. Your QuickBooks Desktop answered Conductor");
    expect(await healthChecks(since)).toHaveLength(1);
  });

  it("tells an operator who completed a link they sent that the setup ended, and where to see its status, checking nothing", async () => {
    const since = Date.now();
    const response = await operator.fetch("/onboarding/connected");
    expect(response.status).toBe(200);
    const html = (await response.text()).replaceAll("<!-- -->", "");
    expect(html).toContain("setup has ended on this computer.");
    const toList = /find it in <a href="\/end-users">End-users<\/a>/;
    expect(html).toMatch(toList);
    // The address a setup link returns to names its end-user: the operator is sent to its page.
    const named = (
      await (await operator.fetch("/onboarding/connected?endUser=end_usr_namedinlink01")).text()
    ).replaceAll("<!-- -->", "");
    expect(named).toContain('<a href="/end-users/end_usr_namedinlink01">The end-user&#x27;s page</a>');
    // Nothing is checked for an address without proof: Check now there is the way to know.
    expect(named).toContain("(press <strong>Check now</strong> there)");
    expect(named).not.toMatch(toList);
    const junk = (await (await operator.fetch("/onboarding/connected?endUser=%3Cscript%3E")).text()).replaceAll(
      "<!-- -->",
      "",
    );
    expect(junk).toMatch(toList);
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toEqual([]);
  });

  it("sends a customer who has no company yet to /onboarding, whatever junk the address names", async () => {
    const client = await h.signIn(`no-company-${Date.now()}@example.test`);
    for (const query of ["", "?endUser=", "?endUser=junk", "?endUser=a&endUser=b"]) {
      const response = await client.fetch(`/onboarding/connected${query}`);
      expect(response.status).toBe(307);
      expect(response.headers.get("location")).toMatch(/\/onboarding$/);
    }
  });

  it("takes an address naming no end-user well formed as the customer's own setup, never as another company's", async () => {
    const { client, endUser } = await h.onboardedCustomer("returned-junk", "Junk Param Ltd");
    const own = `endUser=${endUser.id}`;
    for (const query of ["endUser=", "endUser=junk", `endUser=${endUser.id.toUpperCase()}`, `${own}&${own}`]) {
      const html = (await (await client.fetch(`/onboarding/connected?${query}`)).text()).replaceAll("<!-- -->", "");
      expect(html).toMatch(/Back from Conductor(&#x27;|')s setup for <strong>Junk Param Ltd<\/strong>/);
      expect(html).not.toContain("another company");
    }
  });
});
