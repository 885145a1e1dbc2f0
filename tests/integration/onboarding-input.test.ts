/**
 * Bad input to onboarding, over the API and the onboarding form, is refused with the field
 * named and changes nothing: no claim, no cached end-user, no call to Conductor. Good input on
 * the form creates the end-user once.
 */
import { describe, expect, it } from "vitest";
import { h, type HttpClient } from "../support/harness";

describe("bad input changes nothing", () => {
  const cases: [string, string, unknown][] = [
    ["empty company name", "companyName", { companyName: "" }],
    ["whitespace company name", "companyName", { companyName: "   " }],
    ["256 characters", "companyName", { companyName: "a".repeat(256) }],
    ["control characters", "companyName", { companyName: "Acme\u0007Inc" }],
    ["a Unicode noncharacter", "companyName", { companyName: "Acme\ufffe" }],
    ["a number", "companyName", { companyName: 42 }],
    ["null", "companyName", { companyName: null }],
    ["no company name", "companyName", {}],
    ["an extra field", "plan", { companyName: "Acme", plan: "gold" }],
    ["someone else's sourceId", "sourceId", { companyName: "Acme", sourceId: "someone-else" }],
    ["a chosen email", "email", { companyName: "Acme", email: "other@example.test" }],
    ["an array body", "body", [{ companyName: "Acme" }]],
  ];

  it.each(cases)("%s → 400 naming %s; 0 rows, 0 upstream calls", async (_name, field, body) => {
    const { client, id } = await h.customer("bad-input");
    await h.emulator.forgetCalls();
    const response = await client.json("/api/end-users", body);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("invalid_request");
    expect(Object.keys(error.fields)).toContain(field);
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.cachedCount(id)).toBe(0);
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("a customer's sourceId and email are refused as the account's, not as if what was sent were theirs", async () => {
    const { client } = await h.customer("bad-input");
    const body = { companyName: "Acme", sourceId: "someone-else", email: "other@example.test" };
    const { error } = await (await client.json("/api/end-users", body)).json();
    expect(error.fields).toEqual({
      sourceId: ["is not yours to send: it is always your account id; leave it out"],
      email: ["is not yours to send: it is always the address you sign in with; leave it out"],
    });
  });

  // What only an operator sends: the sourceId and email it creates the end-user for.
  const operatorCases: [string, string, (sourceId: string) => Record<string, string | undefined>][] = [
    ["a sourceId of 256 characters", "sourceId", (id) => ({ sourceId: id.padEnd(256, "x") })],
    ["a sourceId with a space", "sourceId", (id) => ({ sourceId: `${id} x` })],
    ["a sourceId in decomposed form", "sourceId", (id) => ({ sourceId: `${id}-cafe\u0301` })],
    ["a Conductor end-user id as sourceId", "sourceId", () => ({ sourceId: "end_usr_0123456789abcdef" })],
    ["no email", "email", (id) => ({ sourceId: id, email: undefined })],
    ["an email that is no address", "email", (id) => ({ sourceId: id, email: "not an address" })],
  ];

  it.each(operatorCases)(
    "from an operator, %s → 400 naming %s; 0 rows, 0 upstream calls",
    async (_name, field, fieldsFor) => {
      const operator = await h.operator();
      const sourceId = `op-input-${h.uniqueEmail("x").split("@")[0]}`;
      const body = { companyName: "Acme", sourceId, email: "owner@example.test", ...fieldsFor(sourceId) };
      await h.emulator.forgetCalls();
      const response = await operator.json("/api/end-users", body);
      expect(response.status).toBe(400);
      const { error } = await response.json();
      expect(error.code).toBe("invalid_request");
      expect(Object.keys(error.fields)).toEqual([field]);
      expect(await h.claim(body.sourceId!)).toBeUndefined();
      expect(await h.cachedCount(body.sourceId!)).toBe(0);
      expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
    },
  );

  /** An operator's creation naming a customer's account id as sourceId, with an email not theirs. */
  const withAnotherEmail = (operator: HttpClient, sourceId: string, companyName: string) =>
    operator.json("/api/end-users", { companyName, sourceId, email: "someone-else@example.test" });

  it("from an operator, a signed-up customer's account id as sourceId with another email → 400 naming email and the one to use; 0 rows, 0 upstream calls", async () => {
    const { email, id } = await h.customer("op-for-customer");
    const operator = await h.operator();
    await h.emulator.forgetCalls();
    const response = await withAnotherEmail(operator, id, "Theirs Co");
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("invalid_request");
    expect(Object.keys(error.fields)).toEqual(["email"]);
    expect(error.fields.email[0]).toContain(`must be ${email}`);
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.cachedCount(id)).toBe(0);
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("from an operator, a signed-up customer's account id with another email, once the customer has their end-user → 200 with it as it is; no write, 0 upstream calls", async () => {
    const { client, email, id } = await h.customer("op-for-onboarded");
    const own = await client.json("/api/end-users", { companyName: "Theirs Co" });
    expect(own.status).toBe(201);
    const { endUser: created } = await own.json();
    const operator = await h.operator();
    await h.emulator.forgetCalls();
    const response = await withAnotherEmail(operator, id, "Other Name Co");
    expect(response.status).toBe(200);
    const { endUser } = await response.json();
    expect(endUser).toMatchObject({ id: created.id, sourceId: id, email, companyName: "Theirs Co" });
    expect(await h.cachedCount(id)).toBe(1);
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("from an operator, a signed-up customer's account id with another email once their end-user is offboarded → 400 naming email again; nothing created", async () => {
    const { client, email, id } = await h.customer("op-after-offboard");
    const { endUser } = await (await client.json("/api/end-users", { companyName: "Gone Co" })).json();
    const operator = await h.operator();
    expect((await operator.fetch(`/api/end-users/${endUser.id}`, { method: "DELETE" })).status).toBe(200);
    await h.emulator.forgetCalls();
    const response = await withAnotherEmail(operator, id, "Gone Co");
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields.email[0]).toContain(`must be ${email}`);
    // The tombstone alone.
    expect(await h.cachedCount(id)).toBe(1);
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("from an operator, a signed-up customer's account id with their own email, in any case, creates the end-user the customer then sees as theirs", async () => {
    const { client, email, id } = await h.customer("op-for-customer");
    const operator = await h.operator();
    const response = await operator.json("/api/end-users", {
      companyName: "Theirs Co",
      sourceId: id,
      email: email.toUpperCase(),
    });
    expect(response.status).toBe(201);
    const { endUser } = await response.json();
    expect(endUser).toMatchObject({ sourceId: id, email });
    const own = await client.fetch(`/api/end-users/${endUser.id}`);
    expect(own.status).toBe(200);
    expect((await own.json()).endUser.email).toBe(email);
  });

  it("from an operator, takes a sourceId of exactly 255 characters and creates the end-user under it", async () => {
    const operator = await h.operator();
    const sourceId = `op-input-${h.uniqueEmail("x").split("@")[0]}`.padEnd(255, "x");
    const response = await operator.json("/api/end-users", {
      companyName: "Longest Id Co",
      sourceId,
      email: "owner@example.test",
    });
    expect(response.status).toBe(201);
    expect((await response.json()).endUser.sourceId).toBe(sourceId);
    expect(await h.cachedCount(sourceId)).toBe(1);
  });

  it("tells a missing company name that it is required, and a wrong type what it must be", async () => {
    const { client } = await h.customer("missing-name");
    const fields = async (body: unknown) => (await (await client.json("/api/end-users", body)).json()).error.fields;
    expect(await fields({})).toEqual({ companyName: ["is required"] });
    expect(await fields({ companyName: 42 })).toEqual({ companyName: ["must be text"] });
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
    [
      "JSON declared in another charset",
      415,
      "unsupported_media_type",
      {
        headers: { "content-type": "application/json; charset=latin1" },
        body: JSON.stringify({ companyName: "Acme" }),
      },
    ],
    [
      "JSON declared in two charsets",
      415,
      "unsupported_media_type",
      {
        headers: { "content-type": "application/json; charset=utf-8; charset=latin1" },
        body: JSON.stringify({ companyName: "Acme" }),
      },
    ],
    [
      "JSON under a content coding, which nothing here decodes",
      415,
      "unsupported_media_type",
      {
        headers: { "content-type": "application/json", "content-encoding": "br" },
        body: JSON.stringify({ companyName: "Acme" }),
      },
    ],
    ["broken JSON", 400, "invalid_json", { headers: { "content-type": "application/json" }, body: "{companyName:" }],
    [
      "over 64 KB",
      413,
      "payload_too_large",
      { headers: { "content-type": "application/json" }, body: JSON.stringify({ companyName: "a".repeat(70_000) }) },
    ],
  ] as const)("%s → %i %s; nothing written", async (_name, status, code, init) => {
    const { client, id } = await h.customer("bad-body");
    await h.emulator.forgetCalls();
    const response = await client.fetch("/api/end-users", { method: "POST", ...init });
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("a POST to the path with a trailing slash gets Next.js's 308 to the path without it, and creates nothing", async () => {
    const { client, id } = await h.customer("trailing-slash");
    await h.emulator.forgetCalls();
    const response = await client.fetch("/api/end-users/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ companyName: "Slash Ltd" }),
    });
    expect(response.status).toBe(308);
    expect(response.headers.get("location")).toBe("/api/end-users");
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("a POST with no body at all → 415 saying what to send: a JSON object, {} where the route takes no fields", async () => {
    const { client, endUser } = await h.onboardedCustomer("no-body", "No Body Ltd");
    const response = await client.fetch(`/api/end-users/${endUser.id}/auth-sessions`, { method: "POST" });
    expect(response.status).toBe(415);
    expect((await response.json()).error).toEqual({
      code: "unsupported_media_type",
      message:
        "Send the request body as application/json: a JSON object (an empty one, {}, where the route takes no fields).",
    });
  });

  it("takes a body whose Content-Encoding names only identity, however often, since that is no coding at all", async () => {
    for (const [tag, coding] of [
      ["once", "identity"],
      ["twice", "identity, identity"],
    ] as const) {
      const { client } = await h.customer(`identity-${tag}`);
      const response = await client.fetch("/api/end-users", {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": coding },
        body: JSON.stringify({ companyName: `Identity ${tag} Co` }),
      });
      expect(response.status, coding).toBe(201);
    }
  });

  it("a body naming a key twice, however spelled, → 400 naming it, as a repeated query parameter is; 0 rows, 0 upstream calls", async () => {
    const { client, id } = await h.customer("repeated-key");
    await h.emulator.forgetCalls();
    for (const body of ['{"companyName":"A","companyName":"B"}', '{"companyName":"A", "company\\u004eame" : "B"}']) {
      const response = await client.fetch("/api/end-users", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(response.status, body).toBe(400);
      const { error } = await response.json();
      expect(error.code).toBe("invalid_request");
      expect(error.fields).toEqual({ companyName: ["must be given once"] });
    }
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.cachedCount(id)).toBe(0);
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("takes JSON declared as UTF-8, in any spelling", async () => {
    const { client } = await h.customer("utf8-body");
    const response = await client.fetch("/api/end-users", {
      method: "POST",
      headers: { "content-type": 'application/json;Charset="UTF-8"' },
      body: JSON.stringify({ companyName: "Société Acme" }),
    });
    expect(response.status).toBe(201);
    expect((await response.json()).endUser.companyName).toBe("Société Acme");
  });

  it("the onboarding form reports each bad company name next to the field and writes nothing", async () => {
    const { client, id } = await h.customer("bad-form");
    await h.emulator.forgetCalls();
    for (const name of ["", "   ", "x".repeat(256), "Tab\there"]) {
      const result = await h.actions.onboard(client, name);
      expect(result.status).toBe(200);
      const state = h.actions.formState(result.body);
      expect(state).toMatchObject({ status: "error", code: "invalid_request" });
      expect(state.fields?.companyName?.length).toBe(1);
    }
    const extra = h.actions.formState((await h.actions.onboard(client, "Acme", { sourceId: "someone-else" })).body);
    expect(extra.fields).toHaveProperty("sourceId");
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("the onboarding form creates the end-user once and says so", async () => {
    const { client, id } = await h.customer("form");
    const { next: firstNext, ...first } = h.actions.formState((await h.actions.onboard(client, "Formed Ltd")).body);
    expect(first).toEqual({
      status: "success",
      message: "Formed Ltd is set up with Conductor. Next: connect QuickBooks Desktop.",
    });
    const { next: secondNext, ...second } = h.actions.formState((await h.actions.onboard(client, "Formed Ltd")).body);
    expect(second).toEqual({ status: "success", message: "Formed Ltd was already set up with Conductor." });
    // Each answer holds the step that takes the form's place: connecting QuickBooks Desktop.
    for (const next of [firstNext, secondNext]) expect(JSON.stringify(next)).toContain("Connect QuickBooks Desktop");
    expect(await h.upstream(id)).toHaveLength(1);
  });

  it("a name typed as a letter and an accent, with a zero-width space, reaches Conductor as the page shows it, and typed the other way it is the same name", async () => {
    const { client, id } = await h.customer("composed");
    const response = await client.json("/api/end-users", { companyName: "Cafe\u0301\u200b Ltd" });
    expect(response.status).toBe(201);
    expect((await response.json()).endUser.companyName).toBe("Caf\u00e9 Ltd");
    expect((await h.upstream(id)).map((endUser) => endUser.companyName)).toEqual(["Caf\u00e9 Ltd"]);
    const { next, ...again } = h.actions.formState((await h.actions.onboard(client, "Caf\u00e9 Ltd")).body);
    expect(again).toEqual({ status: "success", message: "Caf\u00e9 Ltd was already set up with Conductor." });
    expect(next).toBeDefined();
  });

  it("a submit that finds the company already set up under another name (another tab) is shown on the page that follows, naming the name not used", async () => {
    const { client, id } = await h.customer("second-tab");
    await h.actions.onboard(client, "First Tab Ltd");
    const later = await h.actions.onboard(client, "Second Tab Ltd");
    const message =
      "First Tab Ltd was already set up with Conductor. The name you entered, Second Tab Ltd, was not used.";
    const { next, ...state } = h.actions.formState(later.body);
    expect(state).toEqual({ status: "success", message });
    // The form is gone once the step in the action's answer takes its place: that step's notice
    // (rendered in the browser, which keeps it when the page is fetched again) names it.
    expect(JSON.stringify(next)).toContain("Second Tab Ltd");
    expect(later.body).toContain('"sentName":"Second Tab Ltd"');
    expect(await h.upstream(id)).toHaveLength(1);
    const page = await (await client.fetch("/onboarding")).text();
    expect(page).toContain("Your company is set up with Conductor.");
    expect(page).not.toContain("was not used");
  });
});
