/**
 * Offboarding: DELETE /api/end-users/[id] deletes the end-user in Conductor exactly once and
 * keeps our row as a tombstone only once Conductor confirmed it, whatever Conductor does (503
 * before or after acting, 404, hang); the next attempt or the reconcile job settles an unknown
 * outcome without a second DELETE when one landed; one audit event whoever finishes it.
 */
import Conductor from "conductor-node";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { actionId, callAction, formState, idleState } from "../support/actions";
import { count, sql } from "../support/db";
import { emulator } from "../support/emulator";
import { HttpClient, onboardedCustomer, signIn } from "../support/http";

const { appOrigin, operatorEmail, cronSecret, secretKey, serviceTokens } = inject("stack");
let operator: HttpClient;

const sdk = () => new Conductor({ apiKey: secretKey, baseURL: emulator.conductorUrl(), maxRetries: 0 });
const offboard = (id: string, client = operator) => client.fetch(`/api/end-users/${id}`, { method: "DELETE" });
const deletesOf = async (id: string) =>
  emulator.calls({ provider: "conductor", method: "DELETE", path: `/end-users/${id}` });
const retrievesOf = async (id: string) =>
  emulator.calls({ provider: "conductor", method: "GET", path: `/end-users/${id}` });
const actionsOf = async (id: string) =>
  (await sql<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "endUserId" = $1 ORDER BY at, id`, [id])).map(
    (row) => row.action,
  );
const offboardedEvents = (id: string) =>
  count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_OFFBOARDED'`, [id]);
const row = async (id: string) =>
  (
    await sql<{ deletedAt: Date | null; deletedBy: string | null; userId: string | null }>(
      `SELECT "deletedAt", "deletedBy", "userId" FROM "ConductorEndUser" WHERE id = $1`,
      [id],
    )
  )[0]!;
const pending = (id: string) => count(`SELECT 1 FROM "Offboarding" WHERE "endUserId" = $1`, [id]);
const inConductor = async (id: string) => (await sdk().endUsers.list()).data.some((endUser) => endUser.id === id);

async function runReconcile() {
  const response = await fetch(`${appOrigin}/api/cron/reconcile`, {
    headers: { authorization: `Bearer ${cronSecret}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { offboardings: { pending: number; offboarded: number; unresolved: number } };
}

beforeAll(async () => {
  operator = await signIn(operatorEmail);
});
afterEach(() => emulator.disarm());

describe("DELETE /api/end-users/[id]", () => {
  it("deletes it in Conductor once, keeps a tombstone (when, who, unlinked from the user), one audit event; again → 410", async () => {
    const { endUser } = await onboardedCustomer("offboard", "Leaving Ltd");
    expect((await row(endUser.id)).userId).toBeTruthy();

    const response = await offboard(endUser.id);
    expect(response.status).toBe(200);
    const { deleted } = (await response.json()) as { deleted: { id: string; sourceId: string; deletedAt: string } };
    expect(deleted).toEqual({ id: endUser.id, sourceId: endUser.sourceId, deletedAt: expect.stringMatching(/Z$/) });
    expect(await row(endUser.id)).toEqual({
      deletedAt: new Date(deleted.deletedAt),
      deletedBy: operatorEmail,
      userId: null,
    });
    expect(await inConductor(endUser.id)).toBe(false);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect(await pending(endUser.id)).toBe(0);
    const [event] = await sql<{ actor: string; conductorRequestId: string; sourceId: string }>(
      `SELECT actor, "conductorRequestId", "sourceId" FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_OFFBOARDED'`,
      [endUser.id],
    );
    expect(event).toEqual({
      actor: operatorEmail,
      conductorRequestId: expect.stringMatching(/^req_/),
      sourceId: endUser.sourceId,
    });

    const again = await offboard(endUser.id);
    expect(again.status).toBe(410);
    expect((await again.json()).error).toMatchObject({
      code: "end_user_deleted",
      fields: { deletedAt: [deleted.deletedAt] },
    });
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect(await offboardedEvents(endUser.id)).toBe(1);
  });

  it("ten concurrent offboards send one DELETE and write one audit event", async () => {
    const { endUser } = await onboardedCustomer("offboard-race", "Race Away Co");
    const responses = await Promise.all(Array.from({ length: 10 }, () => offboard(endUser.id)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.every((status) => status === 200 || status === 409 || status === 410)).toBe(true);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect(await offboardedEvents(endUser.id)).toBe(1);
  });

  it("503 before Conductor acted → 502 with the request id, row live and pending; the retry asks, then deletes", async () => {
    const { endUser } = await onboardedCustomer("offboard-503", "Flaky Before Inc");
    await emulator.arm({
      provider: "conductor",
      method: "DELETE",
      path: `/end-users/${endUser.id}`,
      status: 503,
      times: 1,
    });
    const first = await offboard(endUser.id);
    expect(first.status).toBe(502);
    const { error } = await first.json();
    expect(error).toMatchObject({ code: "upstream_error", conductorRequestId: expect.stringMatching(/^req_/) });
    expect(error.message).toMatch(/checked before any new delete/);
    expect((await row(endUser.id)).deletedAt).toBeNull();
    expect(await pending(endUser.id)).toBe(1);
    expect(await inConductor(endUser.id)).toBe(true);

    expect((await offboard(endUser.id)).status).toBe(200);
    expect(await retrievesOf(endUser.id)).not.toHaveLength(0);
    expect(await deletesOf(endUser.id)).toHaveLength(2);
    expect(await inConductor(endUser.id)).toBe(false);
    expect(await actionsOf(endUser.id)).toEqual([
      "END_USER_CREATED",
      "OFFBOARDING_OUTCOME_UNKNOWN",
      "END_USER_OFFBOARDED",
    ]);
  });

  it("503 after Conductor deleted it → 502; the retry finds it gone and tombstones it without a second DELETE", async () => {
    const { endUser } = await onboardedCustomer("offboard-503-after", "Flaky After Inc");
    await emulator.arm({
      provider: "conductor",
      method: "DELETE",
      path: `/end-users/${endUser.id}`,
      status: 503,
      afterCommit: true,
      times: 1,
    });
    expect((await offboard(endUser.id)).status).toBe(502);
    expect(await inConductor(endUser.id)).toBe(false);
    expect((await row(endUser.id)).deletedAt).toBeNull();

    expect((await offboard(endUser.id)).status).toBe(200);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect((await row(endUser.id)).deletedAt).not.toBeNull();
    expect(await offboardedEvents(endUser.id)).toBe(1);
  });

  it("Conductor answering 404 (deleted in its dashboard) means already gone: tombstoned, one DELETE", async () => {
    const { endUser } = await onboardedCustomer("offboard-404", "Already Gone LLC");
    await sdk().endUsers.delete(endUser.id);
    await emulator.forgetCalls();
    expect((await offboard(endUser.id)).status).toBe(200);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    const [event] = await sql<{ data: { confirmedBy: string } }>(
      `SELECT data FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_OFFBOARDED'`,
      [endUser.id],
    );
    expect(event!.data.confirmedBy).toBe("already_gone");
  });

  it("a hang before acting → 504; the reconcile job asks Conductor, deletes it, and records one event as system", async () => {
    const { endUser } = await onboardedCustomer("offboard-hang", "Hanging Before Co");
    await emulator.arm({
      provider: "conductor",
      method: "DELETE",
      path: `/end-users/${endUser.id}`,
      hang: true,
      times: 1,
    });
    const first = await offboard(endUser.id);
    expect(first.status).toBe(504);
    expect((await first.json()).error.code).toBe("upstream_timeout");
    expect(await inConductor(endUser.id)).toBe(true);

    const report = await runReconcile();
    expect(report.offboardings.offboarded).toBeGreaterThanOrEqual(1);
    expect(await inConductor(endUser.id)).toBe(false);
    expect(await deletesOf(endUser.id)).toHaveLength(2);
    expect(await row(endUser.id)).toMatchObject({ deletedAt: expect.any(Date), deletedBy: operatorEmail });
    const events = await sql<{ action: string; actor: string }>(
      `SELECT action, actor FROM "AuditEvent" WHERE "endUserId" = $1 AND action <> 'END_USER_CREATED' ORDER BY at`,
      [endUser.id],
    );
    expect(events).toEqual([
      { action: "OFFBOARDING_OUTCOME_UNKNOWN", actor: operatorEmail },
      { action: "END_USER_OFFBOARDED", actor: "cron" },
    ]);
  });

  it("a hang after Conductor deleted it → 504; the reconcile job settles it with no second DELETE", async () => {
    const { endUser } = await onboardedCustomer("offboard-hang-after", "Hanging After Co");
    await emulator.arm({
      provider: "conductor",
      method: "DELETE",
      path: `/end-users/${endUser.id}`,
      hang: true,
      afterCommit: true,
      times: 1,
    });
    expect((await offboard(endUser.id)).status).toBe(504);
    await runReconcile();
    expect((await row(endUser.id)).deletedAt).not.toBeNull();
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect(await offboardedEvents(endUser.id)).toBe(1);
    expect(await pending(endUser.id)).toBe(0);
    // Settled: a later run has nothing left to do for it.
    await runReconcile();
    expect(await offboardedEvents(endUser.id)).toBe(1);
  });

  it("Conductor refusing (401) deleted nothing: 502, the end-user stays live and not pending, a retry offboards it", async () => {
    const { endUser } = await onboardedCustomer("offboard-refused", "Refused Ltd");
    await emulator.arm({
      provider: "conductor",
      method: "DELETE",
      path: `/end-users/${endUser.id}`,
      status: 401,
      times: 1,
    });
    const first = await offboard(endUser.id);
    expect(first.status).toBe(502);
    expect((await first.json()).error.code).toBe("upstream_auth_failed");
    expect(await pending(endUser.id)).toBe(0);
    expect((await row(endUser.id)).deletedAt).toBeNull();
    expect((await offboard(endUser.id)).status).toBe(200);
    expect(await retrievesOf(endUser.id)).toHaveLength(0);
    expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED", "OFFBOARDING_FAILED", "END_USER_OFFBOARDED"]);
  });

  it("removes the Altur/Dify links with the end-user (named in the audit event); a tombstone takes no new link", async () => {
    const { endUser } = await onboardedCustomer("offboard-links", "Linked Then Gone");
    const link = (externalId: string) =>
      operator.fetch(`/api/end-users/${endUser.id}/providers/altur`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ externalId }),
      });
    // The sandbox has three Altur end-users for the whole suite: free this one from any earlier test.
    await sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'altur' AND "externalId" = $1`, [
      "a1000000-0000-4000-8000-000000000003",
    ]);
    expect((await link("a1000000-0000-4000-8000-000000000003")).status).toBe(200);
    expect((await offboard(endUser.id)).status).toBe(200);
    expect(await count(`SELECT 1 FROM "ProviderEndUser" WHERE "endUserId" = $1`, [endUser.id])).toBe(0);
    const [event] = await sql<{ data: { unlinked: unknown[] } }>(
      `SELECT data FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_OFFBOARDED'`,
      [endUser.id],
    );
    expect(event!.data.unlinked).toEqual([{ provider: "altur", externalId: "a1000000-0000-4000-8000-000000000003" }]);
    expect((await link("a1000000-0000-4000-8000-000000000003")).status).toBe(410);
  });
});

describe("after offboarding", () => {
  it("lists hide it unless include=deleted; GET answers 410 with deletedAt, without asking Conductor", async () => {
    const { endUser, client } = await onboardedCustomer("after", "Tombstone Visible Co");
    const { deleted } = await (await offboard(endUser.id)).json();
    const list = async (query: string) =>
      (
        (await (await operator.fetch(`/api/end-users?q=${endUser.sourceId}${query}`)).json()) as {
          data: { id: string; deletedAt: string | null }[];
        }
      ).data;
    expect(await list("")).toEqual([]);
    expect(await list("&include=deleted")).toEqual([
      expect.objectContaining({ id: endUser.id, deletedAt: deleted.deletedAt }),
    ]);
    expect((await operator.fetch(`/api/end-users?include=all`)).status).toBe(400);

    await emulator.forgetCalls();
    for (const who of [operator, client]) {
      for (const path of [`/api/end-users/${endUser.id}`, `/api/end-users/${endUser.id}?cache=only`]) {
        const response = await who.fetch(path);
        expect(response.status).toBe(410);
        expect((await response.json()).error).toMatchObject({
          code: "end_user_deleted",
          fields: { deletedAt: [deleted.deletedAt] },
        });
      }
    }
    const page = await operator.fetch(`/end-users/${endUser.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-testid="tombstone-banner"');
    expect(html).toContain(operatorEmail);
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("the lookup answers 410 with deletedAt by sourceId and by id, and a live end-user with the sourceId wins", async () => {
    const { endUser, client } = await onboardedCustomer("lookup-after", "Lookup Gone Co");
    const { deleted } = await (await offboard(endUser.id)).json();
    const lookup = (query: string) =>
      fetch(`${appOrigin}/api/end-users/lookup?${query}`, { headers: { authorization: `Bearer ${serviceTokens[0]}` } });
    for (const query of [`sourceId=${endUser.sourceId}`, `id=${endUser.id}`]) {
      const response = await lookup(query);
      expect(response.status).toBe(410);
      expect((await response.json()).error).toEqual({
        code: "end_user_deleted",
        message: expect.stringContaining("offboarded"),
        fields: { deletedAt: [deleted.deletedAt] },
      });
    }
    const again = await client.json("/api/end-users", { companyName: "Lookup Back Co" });
    expect(again.status).toBe(201);
    const fresh = (await again.json()).endUser as { id: string };
    const found = await lookup(`sourceId=${endUser.sourceId}`);
    expect(found.status).toBe(200);
    expect((await found.json()).id).toBe(fresh.id);
    expect((await lookup(`id=${endUser.id}`)).status).toBe(410);
  });

  it("the customer onboards again: 20 concurrent submits → 1 POST, 1 live end-user beside the tombstone", async () => {
    const { endUser, client } = await onboardedCustomer("again", "Comeback Co");
    expect((await offboard(endUser.id)).status).toBe(200);
    expect(await count(`SELECT 1 FROM "OnboardingClaim" WHERE "sourceId" = $1`, [endUser.sourceId])).toBe(0);
    const since = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => client.json("/api/end-users", { companyName: "Comeback Co Again" })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.every((status) => status === 201 || status === 200 || status === 409)).toBe(true);
    const posts = (await emulator.calls({ provider: "conductor", method: "POST", path: "/end-users" })).filter(
      (call) => Date.parse(call.at) >= since,
    );
    expect(posts).toHaveLength(1);
    const rows = await sql<{ id: string; deletedAt: Date | null; userId: string | null }>(
      `SELECT id, "deletedAt", "userId" FROM "ConductorEndUser" WHERE "sourceId" = $1 ORDER BY "createdAt"`,
      [endUser.sourceId],
    );
    expect(rows).toEqual([
      { id: endUser.id, deletedAt: expect.any(Date), userId: null },
      { id: expect.not.stringMatching(endUser.id), deletedAt: null, userId: endUser.sourceId },
    ]);
    const onboarding = await (await client.fetch("/onboarding")).text();
    expect(onboarding).toContain("Comeback Co Again");
  });

  it("refresh and reconcile never flag, rewrite or resurrect a tombstone, even from a list that predates the delete", async () => {
    const { endUser } = await onboardedCustomer("sync-after", "Stale List Co");
    const [{ syncCacheWithUpstream }, { reshapeEndUser }, { databaseNow }] = await Promise.all([
      import("@/lib/data/end-user-sync"),
      import("@/lib/vendors/conductor/reshape"),
      import("@/lib/data/clock"),
    ]);
    // Conductor's list as it was just before the delete, the end-user renamed in it.
    const listedAt = await databaseNow();
    const listed = (await sdk().endUsers.list()).data.map((upstream) =>
      reshapeEndUser(upstream.id === endUser.id ? { ...upstream, companyName: "Renamed Upstream" } : upstream),
    );
    expect((await offboard(endUser.id)).status).toBe(200);
    const before = await sql(`SELECT * FROM "ConductorEndUser" WHERE id = $1`, [endUser.id]);
    await syncCacheWithUpstream(listed, listedAt, "system");
    expect(await sql(`SELECT * FROM "ConductorEndUser" WHERE id = $1`, [endUser.id])).toEqual(before);
    await runReconcile();
    expect(await sql(`SELECT * FROM "ConductorEndUser" WHERE id = $1`, [endUser.id])).toEqual(before);
  });
});

describe("who may offboard, and bad input", () => {
  it("customers, service tokens and anonymous callers get 403/401 with the envelope; nothing deleted or written", async () => {
    const { endUser, client } = await onboardedCustomer("not-allowed", "Protected Co");
    const events = () => count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1`, [endUser.id]);
    const before = await events();
    await emulator.forgetCalls();
    const callers: [HttpClient, Record<string, string>, number][] = [
      [client, {}, 403],
      [new HttpClient(appOrigin), {}, 401],
      [new HttpClient(appOrigin), { authorization: `Bearer ${serviceTokens[0]}` }, 401],
    ];
    for (const [who, headers, status] of callers) {
      const response = await who.fetch(`/api/end-users/${endUser.id}`, { method: "DELETE", headers });
      expect(response.status).toBe(status);
      expect((await response.json()).error.code).toMatch(/^(forbidden|unauthenticated)$/);
    }
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
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
    const offboardings = await count(`SELECT 1 FROM "Offboarding"`);
    await emulator.forgetCalls();
    const response = await offboard(path);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("invalid_request");
    expect(Object.keys(error.fields)).toContain(field);
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
    expect(await count(`SELECT 1 FROM "Offboarding"`)).toBe(offboardings);
  });

  it("an id nothing is cached for → 404, nothing sent to Conductor", async () => {
    await emulator.forgetCalls();
    const response = await offboard("end_usr_neverheardof");
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("end_user_not_found");
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
  });
});

describe("the operator's actions", () => {
  const markOffboarded = (endUserId: string) =>
    callAction(
      operator,
      "/end-users",
      actionId("app/end-users/actions.ts", "markOffboardedAction"),
      { endUserId },
      {
        previousState: idleState,
      },
    );
  const offboardForm = (fields: Record<string, string>) =>
    callAction(
      operator,
      `/end-users/${fields.endUserId ?? "end_usr_x"}`,
      actionId("app/end-users/[id]/actions.ts", "offboardAction"),
      fields,
      { previousState: idleState },
    );

  it("Mark offboarded on an end-user deleted in Conductor's dashboard: Conductor says 404, the row is tombstoned, no DELETE sent", async () => {
    const { endUser } = await onboardedCustomer("missing", "Deleted In Dashboard Co");
    await sdk().endUsers.delete(endUser.id);
    await sql(`UPDATE "ConductorEndUser" SET "missingUpstreamSince" = now() WHERE id = $1`, [endUser.id]);
    await emulator.forgetCalls();
    const state = formState((await markOffboarded(endUser.id)).body);
    expect(state).toMatchObject({ status: "success", message: expect.stringContaining("marked offboarded") });
    expect(await row(endUser.id)).toMatchObject({
      deletedAt: expect.any(Date),
      deletedBy: operatorEmail,
      userId: null,
    });
    expect(await deletesOf(endUser.id)).toEqual([]);
    expect(await retrievesOf(endUser.id)).toHaveLength(1);
    expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED", "END_USER_TOMBSTONED"]);
    expect(formState((await markOffboarded(endUser.id)).body)).toMatchObject({ code: "end_user_deleted" });
  });

  it("Mark offboarded when Conductor still has it: refused, the cache refreshed (no longer missing), nothing tombstoned", async () => {
    const { endUser } = await onboardedCustomer("not-missing", "Still There Co");
    await sql(`UPDATE "ConductorEndUser" SET "missingUpstreamSince" = now() WHERE id = $1`, [endUser.id]);
    const state = formState((await markOffboarded(endUser.id)).body);
    expect(state).toMatchObject({ status: "error", code: "still_in_conductor" });
    const [cached] = await sql<{ deletedAt: Date | null; missingUpstreamSince: Date | null }>(
      `SELECT "deletedAt", "missingUpstreamSince" FROM "ConductorEndUser" WHERE id = $1`,
      [endUser.id],
    );
    expect(cached).toEqual({ deletedAt: null, missingUpstreamSince: null });
    expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED"]);
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
    const { endUser } = await onboardedCustomer("offboard-form", "Case Matters Co");
    await emulator.forgetCalls();
    const state = formState((await offboardForm(Object.fromEntries([["endUserId", endUser.id], ...entries]))).body);
    expect(state).toMatchObject({ status: "error", code: "invalid_request" });
    expect(Object.keys(state.fields ?? {})).toContain(field);
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
    expect(await pending(endUser.id)).toBe(0);
    expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED"]);
  });
});
