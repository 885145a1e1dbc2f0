/**
 * Connecting QuickBooks Desktop through the HTTP API, against the production build, the sandbox
 * Conductor over HTTP and Postgres: auth sessions, emailed connect links, the cached connection
 * and the health check, what each stores and audits, and what it must never do (call Conductor,
 * write or send anything) when the request is refused.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pressSetupButton, waitForConnectMail } from "../support/connect";
import { h, type HttpClient } from "../support/harness";

const { appOrigin, operatorEmail, emulatorOrigin, cronSecret } = h.stack;
let operator: HttpClient;

beforeAll(async () => {
  operator = await h.operator();
});
beforeEach(() => h.emulator.disarm());
afterEach(() => h.emulator.disarm());

const post = (client: HttpClient, path: string, body: unknown = {}) => client.json(path, body);
const conductorCalls = (since: number, path?: string) => h.emulator.calls({ provider: "conductor", path, since });
const audits = (endUserId: string, action: string) =>
  h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND "action" = $2::"AuditAction"`, [endUserId, action]);

type ConnectionBody = {
  connection: { status: string; checkedAt: string | null; message: string | null; conductorRequestId: string | null };
};

async function openSetup(client: HttpClient, id: string) {
  const response = await post(client, `/api/end-users/${id}/auth-sessions`);
  expect(response.status).toBe(201);
  return ((await response.json()) as { authSession: { authFlowUrl: string } }).authSession;
}

async function check(client: HttpClient, id: string) {
  return post(client, `/api/end-users/${id}/connection/check`);
}

async function connection(client: HttpClient, id: string) {
  return ((await (await client.fetch(`/api/end-users/${id}/connection`)).json()) as ConnectionBody).connection;
}

describe("POST /api/end-users/[id]/auth-sessions", () => {
  it("opens Conductor's setup for the customer's own end-user: 201, back to our /onboarding/connected, audited", async () => {
    const { client, endUser } = await h.onboardedCustomer("session", "Session Co");
    const since = Date.now();
    const response = await post(client, `/api/end-users/${endUser.id}/auth-sessions`);
    expect(response.status).toBe(201);
    const text = await response.text();
    const { authSession } = JSON.parse(text) as { authSession: Record<string, string> };
    expect(Object.keys(authSession).sort()).toEqual(["authFlowUrl", "expiresAt", "id", "redirectUrl"]);
    expect(authSession.id).toMatch(/^auth_sess_/);
    expect(authSession.redirectUrl).toBe(`${appOrigin}/onboarding/connected`);
    expect(authSession.authFlowUrl).toMatch(new RegExp(`^${emulatorOrigin}/conductor/connect/qbd/`));
    // The page's own link lives Conductor's default half hour.
    const minutes = (Date.parse(authSession.expiresAt!) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);
    expect(text).not.toContain("clientSecret");
    expect((await conductorCalls(since, "/auth-sessions")).map((call) => call.status)).toEqual([200]);
    expect(await audits(endUser.id, "AUTH_SESSION_CREATED")).toBe(1);
  });

  it("is allowed whatever the status: a connected customer may open the setup again", async () => {
    const { client, endUser } = await h.onboardedCustomer("reconnect", "Reconnect Co");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    expect(((await (await check(client, endUser.id)).json()) as ConnectionBody).connection.status).toBe("connected");
    const again = await openSetup(client, endUser.id);
    expect((await fetch(again.authFlowUrl)).status).toBe(200);
  });

  it("answers another customer's end-user and an unknown one with 404, asking Conductor nothing", async () => {
    const { endUser } = await h.onboardedCustomer("owner", "Owner Co");
    const { client: other } = await h.onboardedCustomer("snoop", "Snoop Co");
    const since = Date.now();
    for (const id of [endUser.id, "end_usr_doesnotexist"]) {
      const response = await post(other, `/api/end-users/${id}/auth-sessions`);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe("end_user_not_found");
    }
    expect(await conductorCalls(since)).toEqual([]);
    expect(await audits(endUser.id, "AUTH_SESSION_CREATED")).toBe(0);
  });
});

describe("POST /api/end-users/[id]/connect-link", () => {
  it("emails the end-user's address a link for the computer with QuickBooks that lives a day: 202 {sentTo, expiresAt}", async () => {
    const { client, email, endUser } = await h.onboardedCustomer("link", "Linked Books Ltd");
    const before = (await h.mail.to(email)).length;
    const response = await post(client, `/api/end-users/${endUser.id}/connect-link`);
    expect(response.status).toBe(202);
    const body = (await response.json()) as { sentTo: string; expiresAt: string };
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "sentTo"]);
    expect(body.sentTo).toBe(email);
    const hours = (Date.parse(body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);

    const { mail, link } = await waitForConnectMail(email, before);
    expect(mail.subject).toBe("Connect QuickBooks Desktop for Linked Books Ltd");
    expect(mail.text).toContain("Windows computer that runs QuickBooks Desktop");
    expect(link).toMatch(new RegExp(`^${emulatorOrigin}/conductor/connect/qbd/`));
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Complete connection");
    expect(await audits(endUser.id, "CONNECT_LINK_SENT")).toBe(1);
  });

  it("sent by an operator, goes to the end-user's address", async () => {
    const { email, endUser } = await h.onboardedCustomer("op-link", "Operator Sent Co");
    const response = await post(operator, `/api/end-users/${endUser.id}/connect-link`);
    expect(response.status).toBe(202);
    expect((await response.json()).sentTo).toBe(email);
    await waitForConnectMail(email);
    expect(await h.mail.to(operatorEmail).then((m) => m.filter((x) => x.subject.startsWith("Connect")))).toEqual([]);
  });
});

describe("bad input to the connection routes", () => {
  const hostile: [string, string, Record<string, string>?][] = [
    ["an unknown field", '{"theme":"dark"}'],
    ["a __proto__ key", '{"__proto__":{"admin":true}}'],
    ["a toString key", '{"toString":"x"}'],
    ["a NUL in a key", '{"a\\u0000b":1}'],
    ["a lone surrogate", '"\\ud800"'],
    ["a 10,000-character value", JSON.stringify({ note: "x".repeat(10_000) })],
    ["an array", "[]"],
    ["null", "null"],
    ["a number", "42"],
    ["malformed JSON", "{"],
    ["form data", "decision=complete", { "content-type": "application/x-www-form-urlencoded" }],
    ["over 64 KB", JSON.stringify({ pad: "x".repeat(70_000) })],
  ];
  const routes = ["auth-sessions", "connect-link", "connection/check"];

  it.each(routes)(
    "POST …/%s refuses every hostile body with a 4xx envelope; nothing written, sent or called",
    async (r) => {
      const { client, email, endUser } = await h.onboardedCustomer("hostile", "Hostile Input Co");
      const mailsBefore = (await h.mail.to(email)).length;
      const auditsBefore = await h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1`, [endUser.id]);
      const since = Date.now();
      for (const [label, body, headers] of hostile) {
        const response = await client.fetch(`/api/end-users/${endUser.id}/${r}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body,
        });
        expect({ label, clientError: response.status >= 400 && response.status < 500 }).toEqual({
          label,
          clientError: true,
        });
        expect((await response.json()).error.code, label).toMatch(
          /^(invalid_request|invalid_json|payload_too_large|unsupported_media_type)$/,
        );
      }
      expect(await conductorCalls(since)).toEqual([]);
      expect(await h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1`, [endUser.id])).toBe(auditsBefore);
      expect((await h.mail.to(email)).length).toBe(mailsBefore);
      expect(await connection(client, endUser.id)).toMatchObject({ status: "not_started", checkedAt: null });
    },
  );

  it.each([
    ["a NUL", "end_usr_%00"],
    ["10,000 characters", `end_usr_${"a".repeat(10_000)}`],
    ["an encoded dot-dot", "%2e%2e"],
    ["an encoded slash", "end_usr_a%2Fb"],
    ["an emoji", "end_usr_%F0%9F%98%80"],
    ["a space", "end_usr_a%20b"],
  ])("refuses an id with %s with a 4xx and calls nothing", async (_label, id) => {
    const since = Date.now();
    for (const r of routes) {
      const response = await post(operator, `/api/end-users/${id}/${r}`);
      expect({ r, clientError: response.status >= 400 && response.status < 500 }).toEqual({ r, clientError: true });
    }
    expect(await conductorCalls(since)).toEqual([]);
  });
});

describe("GET /api/end-users/[id]/connection", () => {
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
  });

  it.each([
    ["Conductor fails (500)", 502, "upstream_error", { status: 500 }],
    ["Conductor is unavailable (503)", 502, "upstream_error", { status: 503 }],
    ["the check never answers", 504, "upstream_timeout", { hang: true }],
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
    if (code === "upstream_error") expect(error.conductorRequestId).toMatch(/^req_/);
    expect(await connection(client, endUser.id)).toEqual(before);
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toHaveLength(1);
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
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toHaveLength(1);
    expect((await connection(client, endUser.id)).status).toBe("connected");
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
    expect(html).toContain("Your last known status is Connected.");
    expect((await connection(client, endUser.id)).status).toBe("connected");
  });

  it("sends a customer who has no company yet to /onboarding", async () => {
    const client = await h.signIn(`no-company-${Date.now()}@example.test`);
    const response = await client.fetch("/onboarding/connected");
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toMatch(/\/onboarding$/);
  });
});

describe("GET /api/end-users?status= and counts", () => {
  const tag = `stat${Date.now()}`;
  const seeded = { not_started: 4, in_progress: 1, connected: 3, needs_attention: 2 };

  beforeAll(async () => {
    let i = 0;
    for (const [status, n] of Object.entries(seeded)) {
      for (let k = 0; k < n; k++, i++) {
        await h.sql(
          `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "connectionStatus")
           VALUES ($1, $2, $3, $4, now() - $5 * interval '1 second', now(), $6::"ConnectionStatus")`,
          [`end_usr_${tag}${i}`, `${tag}-${i}`, `Status ${tag} ${i}`, `s${i}@${tag}.example`, i, status],
        );
      }
    }
  });

  const list = async (query: string) =>
    (await (await operator.fetch(`/api/end-users?${query}`)).json()) as {
      data: { connection: { status: string } }[];
      nextCursor: string | null;
      counts: Record<string, number>;
    };

  it("filters by status, with counts that honour the search and ignore the filter and the cursor", async () => {
    const connected = await list(`q=${tag}&status=connected`);
    expect(connected.data.map((row) => row.connection.status)).toEqual(["connected", "connected", "connected"]);
    expect(connected.counts).toEqual(seeded);
    const firstPage = await list(`q=${tag}&status=not_started&limit=1`);
    expect(firstPage.data).toHaveLength(1);
    const secondPage = await list(`q=${tag}&status=not_started&limit=1&cursor=${firstPage.nextCursor}`);
    expect(secondPage.data[0]!.connection.status).toBe("not_started");
    expect(secondPage.counts).toEqual(seeded);
    const everyone = await list("limit=1");
    expect(everyone.counts.connected).toBeGreaterThanOrEqual(seeded.connected);
    // Offboarded end-users are left out, as from the list itself.
    expect(Object.values(everyone.counts).reduce((a, b) => a + b, 0)).toBe(
      await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "deletedAt" IS NULL`),
    );
  });

  it.each([
    ["an unknown status", "status=offline"],
    ["a repeated status", "status=connected&status=in_progress"],
    ["an empty status", "status="],
  ])("rejects %s with 400 naming status", async (_label, query) => {
    const response = await operator.fetch(`/api/end-users?${query}`);
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fields)).toContain("status");
  });

  it("the operator's list shows each status and filters by it, with counts on the chips", async () => {
    const html = await (await operator.fetch(`/end-users?q=${tag}&status=needs_attention`)).text();
    expect(html.match(/data-status="needs_attention"/g)).toHaveLength(2);
    expect(html).not.toContain('data-status="connected"');
    expect(html).toMatch(/>Connected(<!-- -->)? <span class="count">3<\/span>/);
    expect(html).toMatch(/aria-current="page"[^>]*>Needs attention(<!-- -->)? <span class="count">2<\/span>/);
  });
});

describe("the refresh and reconcile jobs", () => {
  it("derive the status from the list's lastSuccessfulRequestAt, and run no health check", async () => {
    const { client, endUser } = await h.onboardedCustomer("reconciled", "Reconciled Books Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    const since = Date.now();
    const response = await fetch(`${appOrigin}/api/cron/reconcile`, {
      headers: { authorization: `Bearer ${cronSecret}` },
    });
    expect(response.status).toBe(200);
    expect(await conductorCalls(since, "/quickbooks-desktop/health-check")).toEqual([]);
    expect(await connection(client, endUser.id)).toEqual({
      status: "connected",
      checkedAt: null,
      message: null,
      conductorRequestId: null,
    });
  });

  it("keep a newer health check's finding over the list's older successful request", async () => {
    const { client, endUser } = await h.onboardedCustomer("newer-check", "Newer Check Ltd");
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    await h.emulator.setConnection(endUser.id, "offline");
    const found = ((await (await check(client, endUser.id)).json()) as ConnectionBody).connection;
    expect(found.status).toBe("needs_attention");
    expect(h.actions.formState((await h.actions.refresh(operator)).body).status).toBe("success");
    expect(await connection(client, endUser.id)).toEqual(found);
  });
});
