/**
 * Query parameters, cursors and form fields holding what no person types — NUL and other control
 * characters, bytes that are not UTF-8, U+FFFD, a cursor dated year 0000 — are refused with 400
 * in the error envelope (the pages say they could not read the search), never reach Postgres and
 * change nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { h, type HttpClient } from "../support/harness";

let operator: HttpClient;

beforeAll(async () => {
  operator = await h.operator();
});

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function expectRefused(send: () => Promise<Response>, field: string) {
  const before = await h.writes();
  const response = await send();
  const body = await response.json();
  expect({ status: response.status, code: body.error?.code }).toEqual({ status: 400, code: "invalid_request" });
  expect(Object.keys(body.error.fields ?? {})).toContain(field);
  expect(await h.writes()).toEqual(before);
}

describe("the lookup", () => {
  it.each([
    ["sourceId=%00%07", "sourceId"],
    ["sourceId=a%0Ab", "sourceId"],
    ["sourceId=%ff", "sourceId"],
    ["sourceId=%ED%A0%80", "sourceId"],
    ["sourceId=%EF%BF%BD", "sourceId"],
    ["id=A%00cme", "id"],
    ["id=end_usr_%C0%80", "id"],
    ["provider=altur&id=%00", "id"],
  ])("?%s → 400 naming %s", async (query, field) => {
    await expectRefused(() => h.service(`/api/end-users/lookup?${query}`), field);
  });
});

describe("an operator's creation", () => {
  it.each([
    ["a zero-width space", "\u200b"],
    ["a word joiner after the id", "abc\u2060"],
    ["a right-to-left override", "ab\u202ec"],
    ["a soft hyphen", "ab\u00adc"],
    ["an accent as a mark of its own (Unicode's decomposed form)", "jose\u0301"],
  ])(
    "refuses a sourceId with %s, which would look like another: 400, nothing written or called",
    async (_name, sourceId) => {
      await h.emulator.forgetCalls();
      const body = { companyName: "Lookalike Co", email: "lookalike@example.test", sourceId };
      await expectRefused(() => operator.json("/api/end-users", body), "sourceId");
      expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
    },
  );

  it("takes the same id in Unicode's composed form (the control for the refusal above)", async () => {
    const sourceId = `jos\u00e9-${Date.now()}`;
    const body = { companyName: "Composed Co", email: "composed@example.test", sourceId };
    const response = await operator.json("/api/end-users", body);
    expect(response.status).toBe(201);
    expect(((await response.json()) as { endUser: { sourceId: string } }).endUser.sourceId).toBe(sourceId);
  });
});

describe("the end-user list", () => {
  const now = "2026-01-01T00:00:00.000Z";
  it.each([
    ["q=%00", "q"],
    ["q=Acme%0D%0A", "q"],
    ["q=%ff", "q"],
    ["q=%EF%BF%BD", "q"],
    ["q=%E2%80%AEtset", "q"],
    ["q=Acme%E2%80%8F", "q"],
    [`cursor=${cursorOf(["end-users", now, "end_usr_\u0000"])}`, "cursor"],
    [`cursor=${cursorOf(["end-users", now, "end_usr_a b"])}`, "cursor"],
    [`cursor=${cursorOf(["end-users", "0000-01-01T00:00:00Z", "end_usr_a"])}`, "cursor"],
    [`cursor=${cursorOf(["end-users", "0000-01-01T00:00:00.000Z", "end_usr_a"])}`, "cursor"],
    [`cursor=${cursorOf(["end-users", "1969-12-31T23:59:59.999Z", "end_usr_a"])}`, "cursor"],
    ["cursor=%00", "cursor"],
    ["cursor=", "cursor"],
  ])("GET /api/end-users?%s → 400 naming %s", async (query, field) => {
    await expectRefused(() => operator.fetch(`/api/end-users?${query}`), field);
  });

  it("a cursor it issued still pages (the control for the refusals above)", async () => {
    await h.seedCachedEndUsers(`txt${Date.now()}`, 3);
    const first = await (await operator.fetch("/api/end-users?limit=1")).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    expect((await operator.fetch(`/api/end-users?limit=1&cursor=${first.nextCursor}`)).status).toBe(200);
  });

  it("a cursor one list issued is refused by the other: 400 naming cursor, not a page from another place", async () => {
    // Two end-users created through the app: two rows in each list at least.
    await h.onboardedCustomer("cursor-a", "Cursor A Co");
    await h.onboardedCustomer("cursor-b", "Cursor B Co");
    const endUsers = await (await operator.fetch("/api/end-users?limit=1")).json();
    const audit = await (await operator.fetch("/api/audit?limit=1")).json();
    expect([endUsers.nextCursor, audit.nextCursor]).toEqual([expect.any(String), expect.any(String)]);
    await expectRefused(() => operator.fetch(`/api/end-users?cursor=${audit.nextCursor}`), "cursor");
    await expectRefused(() => operator.fetch(`/api/audit?cursor=${endUsers.nextCursor}`), "cursor");
  });

  const widened = "Listed without what could not be used";
  const restarted = "Showing the first page instead";
  it.each([
    ["q=%00", widened, "the search "],
    ["q=%ff", widened, "the search "],
    ["q=%E2%80%AEtset", widened, "the search must not contain text-direction controls."],
    [`q=${"x".repeat(5000)}`, widened, "the search must be at most 200 characters."],
    ["status=bogus", widened, "the status filter "],
    ["limit=1000", restarted, "the page size must be a whole number from 1 to 100, in digits."],
    [
      `cursor=${cursorOf(["end-users", "0000-01-01T00:00:00Z", "end_usr_a"])}`,
      restarted,
      "the page link is no longer valid.",
    ],
  ])(
    "the /end-users page with ?%s says which part of the link it set aside and why (“%s”), and answers 200",
    async (query, lead, why) => {
      const response = await operator.fetch(`/end-users?${query}`);
      expect(response.status).toBe(200);
      expect((await response.text()).replaceAll("&#x27;", "'")).toContain(`${lead}: ${why}`);
    },
  );
});

describe("the audit trail", () => {
  it.each([
    ["sourceId=%00", "sourceId"],
    ["actor=ops%00%40example.test", "actor"],
    ["endUserId=end_usr_%00", "endUserId"],
    ["sourceId=%ff", "sourceId"],
    [`cursor=${cursorOf(["audit", "0000-01-01T00:00:00Z", "00000000-0000-4000-8000-000000000000"])}`, "cursor"],
    [`cursor=${cursorOf(["audit", "2026-01-01T00:00:00Z", "a\u0000"])}`, "cursor"],
    ["cursor=", "cursor"],
  ])("GET /api/audit?%s → 400 naming %s", async (query, field) => {
    await expectRefused(() => operator.fetch(`/api/audit?${query}`), field);
  });

  it("GET /api/audit.csv?cursor= (empty: never issued) → 400 naming cursor, not the whole trail", async () => {
    await expectRefused(() => operator.fetch("/api/audit.csv?cursor="), "cursor");
  });

  it("the /audit page with a NUL in a filter names the field and answers 200", async () => {
    const response = await operator.fetch("/audit?sourceId=%00");
    expect(response.status).toBe(200);
  });
});

describe("forms", () => {
  it.each([
    ["a lone surrogate", "Acme \ud800"],
    ["U+FFFD", "Acme \ufffd"],
    ["NUL", "Acme\u0000"],
  ])("the onboarding form refuses a company name holding %s, next to the field", async (_name, companyName) => {
    const { client, id } = await h.customer("text-form");
    const before = await h.writes();
    const state = h.actions.formState((await h.actions.onboard(client, companyName)).body);
    expect(state).toMatchObject({ status: "error", code: "invalid_request" });
    expect(Object.keys(state.fields!)).toEqual(["companyName"]);
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.writes()).toEqual(before);
  });
});
