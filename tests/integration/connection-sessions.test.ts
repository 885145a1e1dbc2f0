/**
 * Opening Conductor's QuickBooks Desktop setup through the API: auth sessions and emailed connect
 * links, what each creates, sends and audits, and bad input refused before anything is written,
 * sent or asked of Conductor.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pressSetupButton, waitForConnectMail } from "../support/connect";
import { h, type HttpClient } from "../support/harness";
import { post, conductorCalls, audits, openSetup, check, connection, type ConnectionBody } from "./connection/api";

const { appOrigin, operatorEmail, emulatorOrigin } = h.stack;
let operator: HttpClient;

beforeAll(async () => {
  operator = await h.operator();
});
beforeEach(() => h.emulator.disarm());
afterEach(() => h.emulator.disarm());

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
    // With the proof that this app made it, for the return's check (setup-return.ts).
    expect(authSession.redirectUrl).toMatch(
      new RegExp(`^${appOrigin}/onboarding/connected\\?endUser=${endUser.id}&until=\\d{10}&proof=[A-Za-z0-9_-]{32}$`),
    );
    // The proof holds for the link's half hour and an hour after it.
    const until = Number(new URL(authSession.redirectUrl!).searchParams.get("until")) * 1000;
    expect((until - Date.now()) / 60_000).toBeGreaterThan(89);
    expect((until - Date.now()) / 60_000).toBeLessThanOrEqual(90.1);
    expect(authSession.authFlowUrl).toMatch(new RegExp(`^${emulatorOrigin}/conductor/connect/qbd/`));
    // The page's own link lives Conductor's default half hour.
    const minutes = (Date.parse(authSession.expiresAt!) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);
    expect(text).not.toContain("clientSecret");
    expect((await conductorCalls(since, "/auth-sessions")).map((call) => call.status)).toEqual([200]);
    expect(await audits(endUser.id, "AUTH_SESSION_CREATED")).toBe(1);
  });

  it("is allowed whatever the status: a connected customer may open the setup again, and the panel says when that is needed", async () => {
    const { client, email, endUser } = await h.onboardedCustomer("reconnect", "Reconnect Co");
    const note = /<p class="hint" id="([^"]+)" data-testid="reconnect-note">([^<]+)<\/p>/;
    expect(await (await client.fetch("/onboarding")).text()).not.toMatch(note);
    await pressSetupButton((await openSetup(client, endUser.id)).authFlowUrl);
    expect(((await (await check(client, endUser.id)).json()) as ConnectionBody).connection.status).toBe("connected");
    // The customer's page and the operator's say so beside the buttons that would start a setup, which name it.
    const customerPage = await (await client.fetch("/onboarding")).text();
    const operatorPage = await (await (await h.operator()).fetch(`/end-users/${endUser.id}`)).text();
    for (const page of [customerPage, operatorPage]) {
      const [, id, text] = note.exec(page) ?? [];
      expect(text).toBe("Already connected: a new setup is needed only for another Windows computer or company file.");
      expect(page).toMatch(new RegExp(`data-action="email"[^>]*aria-describedby="${id}"`));
    }
    // Only the customer opens the setup from the page (the operator sends it to them).
    const [, id] = note.exec(customerPage)!;
    expect(customerPage).toMatch(new RegExp(`data-action="open"[^>]*aria-describedby="[^"]* ${id}"`));
    // So does the link an operator sends them.
    const before = (await h.mail.to(email)).length;
    expect((await post(await h.operator(), `/api/end-users/${endUser.id}/connect-link`)).status).toBe(202);
    const { mail } = await waitForConnectMail(email, before);
    expect(mail.text).toContain("Reconnect Co is connected already: a new setup is needed only for another");
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

  it("for a customer's end-user whose record holds another address than the one they sign in with: 409 naming both, no session opened, nothing sent", async () => {
    const { client, email, id } = await h.customer("link-mismatch");
    const endUserId = `end_usr_mismatch${Date.now()}`;
    // As an operator could create it before creations were held to the customer's own email.
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "userId")
       VALUES ($1, $2, 'Mismatched Co', 'someone-else@example.test', now(), now(), $2)`,
      [endUserId, id],
    );
    await h.emulator.forgetCalls();
    for (const who of [client, operator]) {
      const response = await post(who, `/api/end-users/${endUserId}/connect-link`);
      expect(response.status).toBe(409);
      const { error } = await response.json();
      expect(error.code).toBe("email_not_deliverable");
      expect(error.message).toContain(`holds someone-else@example.test, not ${email}`);
    }
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
    expect(await h.mail.to("someone-else@example.test")).toEqual([]);
    expect(await audits(endUserId, "CONNECT_LINK_SENT")).toBe(0);
  });

  it("sent by an operator, goes to the end-user's address, names the operator, and a reply reaches them", async () => {
    const { email, endUser } = await h.onboardedCustomer("op-link", "Operator Sent Co");
    const response = await post(operator, `/api/end-users/${endUser.id}/connect-link`);
    expect(response.status).toBe(202);
    expect((await response.json()).sentTo).toBe(email);
    const { mail } = await waitForConnectMail(email);
    expect(mail.replyTo).toBe(operatorEmail);
    expect(mail.text).toContain(`${operatorEmail}, of the team that onboards you to Conductor, sent you this link`);
    expect(mail.autoSubmitted).toBe("auto-generated");
    expect(await h.mail.to(operatorEmail).then((m) => m.filter((x) => x.subject.startsWith("Connect")))).toEqual([]);
  });
});

describe("a setup link for an end-user offboarded while Conductor opened its session", () => {
  it("is not emailed: 410, and the session Conductor opened is recorded as not sent, saying why", async () => {
    // An app that waits 3 s for Conductor's session (the stack's waits 1.5 s): room for the offboarding to land.
    const app = await h.startApp({ CONDUCTOR_TIMEOUT_MS: "10000" });
    const email = h.uniqueEmail("link-offboarded");
    const client = await h.signIn(email, app.origin);
    const { endUser } = await (await client.json("/api/end-users", { companyName: "Leaving Mid-Link Ltd" })).json();
    const before = (await h.mail.to(email)).length;
    // Conductor opens the session, then answers late: the offboarding (through the stack's app) lands in between.
    await h.emulator.arm({
      provider: "conductor",
      method: "POST",
      path: "/auth-sessions",
      delayMs: 2_500,
      afterCommit: true,
      times: 1,
    });
    const since = Date.now();
    const sending = post(client, `/api/end-users/${endUser.id}/connect-link`);
    while ((await conductorCalls(since, "/auth-sessions")).length === 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await operator.fetch(`/api/end-users/${endUser.id}`, { method: "DELETE" })).status).toBe(200);

    const response = await sending;
    expect(response.status).toBe(410);
    expect((await response.json()).error.code).toBe("end_user_deleted");
    expect(await h.mail.to(email)).toHaveLength(before);
    expect(
      await h.sql(
        `SELECT "action"::text AS "action", "data"->>'to' AS "to", "data"->>'reason' AS "reason" FROM "AuditEvent"
         WHERE "endUserId" = $1 AND "action"::text LIKE 'CONNECT_LINK%'`,
        [endUser.id],
      ),
    ).toEqual([{ action: "CONNECT_LINK_NOT_SENT", to: email, reason: "offboarded" }]);
  });
});

describe("the customer's own end-user page", () => {
  it("opens from the link on /onboarding, for its owner, titled as their company rather than as the operators' list", async () => {
    const { client, endUser } = await h.onboardedCustomer("own-page", "Own Page Ltd");
    expect(await (await client.fetch("/onboarding")).text()).toContain(`href="/end-users/${endUser.id}"`);
    const page = await client.fetch(`/end-users/${endUser.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Own Page Ltd");
    expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toBe("Own Page Ltd — Your company — Conductor Onboarding");
  });
});

describe("an emailed setup link to an address from Conductor's record", () => {
  it.each([
    ["a header smuggled into it", "not an email\r\nBcc: victim@example.com"],
    ["a list of addresses", "owner@example.com, other@example.com"],
    ["a group", "friends: victim@example.com;"],
  ])("with %s is refused with 409 before Conductor opens a session or a mail leaves", async (_what, stored) => {
    const { client, endUser } = await h.onboardedCustomer("bad-address", "Bad Address Ltd");
    // What a refresh caches when Conductor's record holds such an address: its text, as stored.
    await h.sql(`UPDATE "ConductorEndUser" SET "email" = $1 WHERE "id" = $2`, [stored, endUser.id]);
    const since = Date.now();
    const response = await post(client, `/api/end-users/${endUser.id}/connect-link`);
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe("email_not_deliverable");
    expect(await conductorCalls(since, "/auth-sessions")).toEqual([]);
    expect(await h.mail.to("victim@example.com")).toEqual([]);
    expect(await audits(endUser.id, "CONNECT_LINK_SENT")).toBe(0);
  });
});

describe("an emailed setup link Conductor fails to open", () => {
  it("says no link was emailed, then Conductor's reason with its request id; nothing is mailed or recorded as sent", async () => {
    const { client, email, endUser } = await h.onboardedCustomer("link-upstream-fails", "No Link Ltd");
    const mailsBefore = (await h.mail.to(email)).length;
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/auth-sessions", status: 500, times: 3 });
    try {
      const response = await post(client, `/api/end-users/${endUser.id}/connect-link`);
      expect(response.status).toBe(502);
      const { error } = await response.json();
      expect(error).toMatchObject({
        code: "upstream_error",
        message: "No setup link was emailed: Conductor had a problem answering. Try again shortly.",
        conductorRequestId: expect.stringMatching(/^req_/),
      });
    } finally {
      await h.emulator.disarm();
    }
    expect((await h.mail.to(email)).length).toBe(mailsBefore);
    expect(await audits(endUser.id, "CONNECT_LINK_SENT")).toBe(0);
  });
});

describe("an emailed setup link the mail server refuses for good", () => {
  it("answers 409 mail_refused naming the address and the server's code, not 'try again', and records the session Conductor opened as not sent", async () => {
    // An end-user an operator set up for an id of another system: no account here to hold it to.
    const refused = h.uniqueEmail("refused-address").replace("@", "+refused@");
    const created = await operator.json("/api/end-users", {
      companyName: "Refused Address Ltd",
      sourceId: `refused-address-${Date.now()}`,
      email: refused,
    });
    expect(created.status).toBe(201);
    const { endUser } = await created.json();
    const response = await post(operator, `/api/end-users/${endUser.id}/connect-link`);
    expect(response.status).toBe(409);
    const { error } = await response.json();
    expect(error.code).toBe("mail_refused");
    expect(error.message).toContain(`refused to deliver to ${refused} (550)`);
    expect(error.message).not.toMatch(/try again/i);
    expect(await h.mail.to(refused)).toEqual([]);
    expect(await audits(endUser.id, "CONNECT_LINK_SENT")).toBe(0);
    expect(await audits(endUser.id, "CONNECT_LINK_NOT_SENT")).toBe(1);
  });
});

describe("the setup step without JavaScript", () => {
  it("tells the customer that only opening the setup needs it, and which buttons work without; where the setup is not offered, says nothing", async () => {
    const { client, endUser } = await h.onboardedCustomer("no-script", "No Script Co");
    const customerPage = await (await client.fetch("/onboarding")).text();
    expect(customerPage).toMatch(
      /<noscript>.*Opening the setup here needs JavaScript.*Email me this link.*Check now.*<\/noscript>/s,
    );
    // The operator's page and the customer's own end-user page offer only what works without it.
    for (const page of [
      await (await operator.fetch(`/end-users/${endUser.id}`)).text(),
      await (await client.fetch(`/end-users/${endUser.id}`)).text(),
    ]) {
      expect(page).toContain('data-testid="connection"');
      expect(page).not.toContain("connection-needs-script");
    }
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
