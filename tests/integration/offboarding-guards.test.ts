/**
 * Who may offboard and what is refused: customers, tokens and anonymous callers, hostile ids,
 * unknown end-users; and the operator's two actions, Mark offboarded and the Offboard form with
 * its typed confirmation.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { h, type HttpClient } from "../support/harness";
import { rawExchange } from "../support/raw-http";
import {
  actionsOf,
  deletesOf,
  markOffboarded,
  offboard,
  operator,
  pending,
  retrievesOf,
  row,
  signInOperator,
} from "./offboarding/steps";

afterEach(() => h.emulator.disarm());
beforeAll(signInOperator);

describe("who may offboard, and bad input", () => {
  it("customers, service tokens and anonymous callers get 403/401 with the envelope; nothing deleted or written", async () => {
    const { endUser, client } = await h.onboardedCustomer("not-allowed", "Protected Co");
    const events = () => h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1`, [endUser.id]);
    const before = await events();
    await h.emulator.forgetCalls();
    const callers: [HttpClient, Record<string, string>, number][] = [
      [client, {}, 403],
      [h.client(), {}, 401],
      [h.client(), { authorization: `Bearer ${h.stack.serviceTokens[0]}` }, 403],
    ];
    for (const [who, headers, status] of callers) {
      const response = await who.fetch(`/api/end-users/${endUser.id}`, { method: "DELETE", headers });
      expect(response.status).toBe(status);
      expect((await response.json()).error.code).toMatch(/^(forbidden|unauthenticated)$/);
    }
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
    expect(await events()).toBe(before);
    expect(await pending(endUser.id)).toBe(0);
    expect((await row(endUser.id)).deletedAt).toBeNull();
  });

  it.each([
    ["not an end-user id", "id", "not-an-id"],
    ["a NUL byte", "id", "end_usr_abc%00"],
    ["__proto__", "id", "__proto__"],
    ["toString", "id", "toString"],
    ["a lone surrogate", "path", "end_usr_%ED%A0%80"],
    ["malformed %-encoding", "path", "end_usr_%E0%A4%A"],
    ["10,000 characters", "id", `end_usr_${"a".repeat(10_000)}`],
    ["an unknown query field", "force", "end_usr_abc?force=1"],
  ])("%s → 400 naming %s; nothing called or written", async (_name, field, path) => {
    const offboardings = await h.count(`SELECT 1 FROM "Offboarding"`);
    await h.emulator.forgetCalls();
    const response = await offboard(path);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("invalid_request");
    expect(Object.keys(error.fields)).toContain(field);
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
    expect(await h.count(`SELECT 1 FROM "Offboarding"`)).toBe(offboardings);
  });

  it.each([
    ["an unknown field (confirm: false)", "application/json", '{"confirm":false}', 400, "invalid_request"],
    ["text that is not JSON", "text/plain", "garbage{", 415, "unsupported_media_type"],
    ["broken JSON", "application/json", "{", 400, "invalid_json"],
    ["a 70 KB body", "application/json", JSON.stringify({ note: "x".repeat(70_000) }), 413, "payload_too_large"],
  ])("a body the route cannot take (%s) → %i %s; the end-user stays", async (_what, type, body, status, code) => {
    const { endUser } = await h.onboardedCustomer("body-refused", "Body Refused Co");
    await h.emulator.forgetCalls();
    const response = await operator().fetch(`/api/end-users/${endUser.id}`, {
      method: "DELETE",
      headers: { "content-type": type },
      body,
    });
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
    expect((await row(endUser.id)).deletedAt).toBeNull();
    expect(await pending(endUser.id)).toBe(0);
  });

  it("an empty JSON object as the body is no body: the offboarding goes ahead", async () => {
    const { endUser } = await h.onboardedCustomer("body-empty", "Empty Body Co");
    const response = await operator().fetch(`/api/end-users/${endUser.id}`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect((await row(endUser.id)).deletedAt).not.toBeNull();
  });

  it("a streamed body that turns out empty (chunked, no length) is no body: the offboarding goes ahead", async () => {
    const { endUser } = await h.onboardedCustomer("body-streamed-empty", "Streamed Empty Co");
    const cookie = [...operator().cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const request = [
      `DELETE /api/end-users/${endUser.id} HTTP/1.1`,
      `Host: ${new URL(h.stack.appOrigin).host}`,
      `Cookie: ${cookie}`,
      "Content-Type: application/json",
      "Transfer-Encoding: chunked",
      "Connection: close",
      "",
      "0",
      "",
      "",
    ].join("\r\n");
    const answer = await rawExchange(h.stack.appOrigin, request);
    expect(answer.status, answer.body).toBe(200);
    expect((await row(endUser.id)).deletedAt).not.toBeNull();
  });

  it("an id nothing is cached for → 404, nothing sent to Conductor", async () => {
    await h.emulator.forgetCalls();
    const response = await offboard("end_usr_neverheardof");
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("end_user_not_found");
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });
});

describe("the operator's actions", () => {
  const offboardForm = (fields: Record<string, string>) =>
    h.actions.call(
      operator(),
      `/end-users/${fields.endUserId ?? "end_usr_x"}`,
      h.actions.id("app/end-users/[id]/actions.ts", "offboardAction"),
      fields,
      { previousState: h.actions.idleState },
    );

  it("Mark offboarded on an end-user deleted in Conductor's dashboard: Conductor says 404, the row is tombstoned, no DELETE sent", async () => {
    const { endUser } = await h.onboardedCustomer("missing", "Deleted In Dashboard Co");
    await h.conductor.endUsers.delete(endUser.id);
    await h.sql(`UPDATE "ConductorEndUser" SET "missingUpstreamSince" = now() WHERE id = $1`, [endUser.id]);
    await h.emulator.forgetCalls();
    const answer = await markOffboarded(endUser.id);
    const state = h.actions.formState(answer.body);
    expect(state).toMatchObject({ status: "success", message: expect.stringContaining("marked offboarded") });
    // Its row leaves the list the action answers with; the list says what became of it.
    expect(answer.body).toMatch(
      /"marked-offboarded".*Deleted In Dashboard Co.*is marked offboarded: Conductor confirmed/s,
    );
    expect(await row(endUser.id)).toMatchObject({
      deletedAt: expect.any(Date),
      deletedBy: h.stack.operatorEmail,
      userId: null,
    });
    expect(await deletesOf(endUser.id)).toEqual([]);
    expect(await retrievesOf(endUser.id)).toHaveLength(1);
    expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED", "END_USER_TOMBSTONED"]);
    expect(h.actions.formState((await markOffboarded(endUser.id)).body)).toMatchObject({ code: "end_user_deleted" });
  });

  it("Mark offboarded when Conductor still has it: refused, the cache refreshed (no longer missing, renamed) and audited, nothing tombstoned, and the list it answers with shows the row refreshed and says why", async () => {
    const { endUser } = await h.onboardedCustomer("not-missing", "Still There Co");
    await h.sql(
      `UPDATE "ConductorEndUser" SET "missingUpstreamSince" = now(), "companyName" = 'Old Name Co' WHERE id = $1`,
      [endUser.id],
    );
    const answer = await markOffboarded(endUser.id);
    expect(answer.body).toMatch(/"still-in-conductor".*Still There Co.*was not marked offboarded/s);
    expect(answer.body).not.toContain("Old Name Co");
    const state = h.actions.formState(answer.body);
    expect(state).toMatchObject({
      status: "error",
      code: "still_in_conductor",
      conductorRequestId: expect.stringMatching(/^req_/),
    });
    const [cached] = await h.sql<{ deletedAt: Date | null; missingUpstreamSince: Date | null }>(
      `SELECT "deletedAt", "missingUpstreamSince" FROM "ConductorEndUser" WHERE id = $1`,
      [endUser.id],
    );
    expect(cached).toEqual({ deletedAt: null, missingUpstreamSince: null });
    expect((await actionsOf(endUser.id)).sort()).toEqual([
      "END_USER_BACK_UPSTREAM",
      "END_USER_CHANGED_UPSTREAM",
      "END_USER_CREATED",
    ]);
  });

  it("Offboard that Conductor does not confirm (503): the answer says so and comes with the page as it is now, the attempt and its event shown", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-form-503", "Unconfirmed Leaver Co");
    await h.emulator.arm({
      provider: "conductor",
      method: "DELETE",
      path: `/end-users/${endUser.id}`,
      status: 503,
      times: 1,
    });
    const answer = await offboardForm({ endUserId: endUser.id, confirmation: "Unconfirmed Leaver Co" });
    expect(h.actions.formState(answer.body)).toMatchObject({
      status: "error",
      code: "upstream_error",
      message: expect.stringContaining("checked before any new delete"),
    });
    expect(answer.body).toMatch(/Offboarding asked by .* is not confirmed/);
    expect(answer.body).toContain("Deletion sent, Conductor did not confirm");
  });

  it("a wrong company name typed to Offboard changes nothing, and no page comes with its answer", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-form-typo", "Typed Wrong Co");
    const answer = await offboardForm({ endUserId: endUser.id, confirmation: "Typed Wrong Inc" });
    expect(h.actions.formState(answer.body)).toMatchObject({ status: "error" });
    expect(answer.body).not.toContain("This end-user in the audit trail");
    expect(await deletesOf(endUser.id)).toEqual([]);
  });

  it.each([
    ["control characters and a bidi override", "=Renamed\u0007bell\u202eevil", "=Renamedbellevil"],
    ["a zero-width space and a soft hyphen", "Zero\u200bWidth Soft\u00adHyphen", "ZeroWidth SoftHyphen"],
    ["a character Postgres could not store", "Null\uFFFDByte Co", "NullByte Co"],
    ["400 characters", "Long Name ".repeat(40).trim(), "Long Name ".repeat(40).trim()],
  ])(
    "the Offboard form takes a name from Conductor's record with %s as it can be typed",
    async (_what, stored, typed) => {
      const { endUser } = await h.onboardedCustomer("offboard-odd-name", "Plain Name Co");
      // As a refresh caches Conductor's record: its text, as stored.
      await h.sql(`UPDATE "ConductorEndUser" SET "companyName" = $1 WHERE "id" = $2`, [stored, endUser.id]);
      const wrong = h.actions.formState((await offboardForm({ endUserId: endUser.id, confirmation: "Nope" })).body);
      expect(wrong.fields?.confirmation).toEqual([`must be the company name: ${typed}`]);
      const state = h.actions.formState((await offboardForm({ endUserId: endUser.id, confirmation: typed })).body);
      expect(state).toMatchObject({ status: "success" });
      expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED", "END_USER_OFFBOARDED"]);
    },
  );

  it("the Offboard form takes the name as the page shows it: a run of spaces as one, decomposed accents as composed", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-shown", "Café  Two");
    const state = h.actions.formState(
      (await offboardForm({ endUserId: endUser.id, confirmation: "Cafe\u0301 Two" })).body,
    );
    expect(state).toMatchObject({ status: "success" });
    expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED", "END_USER_OFFBOARDED"]);
  });

  it("the Offboard form takes the name typed on a keyboard for typographic quotes, ligatures, full-width and accented letters, case still included", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-typed", "Plain Name Co");
    await h.sql(`UPDATE "ConductorEndUser" SET "companyName" = $1 WHERE "id" = $2`, [
      "O\u2019Brien \uFB01ne Ｐlumbing Café",
      endUser.id,
    ]);
    const lower = h.actions.formState(
      (await offboardForm({ endUserId: endUser.id, confirmation: "o'brien fine plumbing cafe" })).body,
    );
    expect(lower.fields?.confirmation).toEqual(["must be the company name: O\u2019Brien \uFB01ne Ｐlumbing Café"]);
    expect(await deletesOf(endUser.id)).toEqual([]);
    const state = h.actions.formState(
      (await offboardForm({ endUserId: endUser.id, confirmation: "O'Brien fine Plumbing Cafe" })).body,
    );
    expect(state).toMatchObject({ status: "success" });
    expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED", "END_USER_OFFBOARDED"]);
  });

  it.each<[string, string, [string, string][]]>([
    ["a wrong company name", "confirmation", [["confirmation", "Not Our Name"]]],
    ["the right name in another case", "confirmation", [["confirmation", "case matters co"]]],
    ["an empty confirmation", "confirmation", [["confirmation", ""]]],
    ["no confirmation at all", "confirmation", []],
    [
      "a malformed end-user id",
      "endUserId",
      [
        ["endUserId", "end_usr_../x"],
        ["confirmation", "Case Matters Co"],
      ],
    ],
    [
      "an unknown field",
      "force",
      [
        ["confirmation", "Case Matters Co"],
        ["force", "1"],
      ],
    ],
    [
      "a __proto__ field",
      "__proto__",
      [
        ["confirmation", "Case Matters Co"],
        ["__proto__", "x"],
      ],
    ],
    ["a 10,000-character confirmation", "confirmation", [["confirmation", "C".repeat(10_000)]]],
  ])("the Offboard form refuses %s (naming %s): nothing deleted or written", async (_name, field, entries) => {
    const { endUser } = await h.onboardedCustomer("offboard-form", "Case Matters Co");
    await h.emulator.forgetCalls();
    const state = h.actions.formState(
      (await offboardForm(Object.fromEntries([["endUserId", endUser.id], ...entries]))).body,
    );
    expect(state).toMatchObject({ status: "error", code: "invalid_request" });
    expect(Object.keys(state.fields ?? {})).toContain(field);
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
    expect(await pending(endUser.id)).toBe(0);
    expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED"]);
  });
});
