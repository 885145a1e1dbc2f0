/**
 * Offboarding: DELETE /api/end-users/[id] deletes the end-user in Conductor exactly once and
 * keeps our row as a tombstone only once Conductor confirmed it, whatever Conductor does (503
 * before or after acting, 404, hang); the next attempt or the reconcile job settles an unknown
 * outcome without a second DELETE when one landed; one audit event whoever finishes it.
 */
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { pressSetupButton } from "../support/connect";
import { h } from "../support/harness";
import {
  actionsOf,
  deleteUnderWay,
  deletesOf,
  inConductor,
  markOffboarded,
  offboard,
  offboardedEvents,
  operator,
  pending,
  retrievesOf,
  row,
  signInOperator,
} from "./offboarding/steps";

beforeAll(signInOperator);
afterEach(() => h.emulator.disarm());

describe("DELETE /api/end-users/[id]", () => {
  it("a connected end-user, once offboarded, has no connection left: not listed or counted as connected, its last status kept in the trail", async () => {
    const { client, endUser } = await h.onboardedCustomer("offboard-connected", "Connected Leaver Ltd");
    const { authFlowUrl } = (await (await client.json(`/api/end-users/${endUser.id}/auth-sessions`, {})).json())
      .authSession;
    await pressSetupButton(authFlowUrl);
    await client.json(`/api/end-users/${endUser.id}/connection/check`, {});
    const listConnected = async () =>
      (await (await operator().fetch(`/api/end-users?include=deleted&status=connected&q=${endUser.id}`)).json()) as {
        data: { id: string }[];
        counts: Record<string, number>;
      };
    expect((await listConnected()).data.map((e) => e.id)).toEqual([endUser.id]);

    expect((await offboard(endUser.id)).status).toBe(200);
    const after = await listConnected();
    expect(after.data).toEqual([]);
    expect(after.counts.connected).toBe(0);
    const { data } = (await (await operator().fetch(`/api/end-users?include=deleted&q=${endUser.id}`)).json()) as {
      data: { id: string; integrationConnections: unknown[]; connection: { status: string } }[];
    };
    expect(data).toEqual([
      expect.objectContaining({
        id: endUser.id,
        integrationConnections: [],
        connection: expect.objectContaining({ status: "not_started" }),
      }),
    ]);
    const [event] = await h.sql<{ data: { connectionStatus: string } }>(
      `SELECT data FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_OFFBOARDED'`,
      [endUser.id],
    );
    expect(event?.data.connectionStatus).toBe("connected");
  });

  it("deletes it in Conductor once, keeps a tombstone (when, who, unlinked from the user), one audit event; again → 410", async () => {
    const { endUser } = await h.onboardedCustomer("offboard", "Leaving Ltd");
    expect((await row(endUser.id)).userId).toBeTruthy();

    const response = await offboard(endUser.id);
    expect(response.status).toBe(200);
    const { deleted } = (await response.json()) as { deleted: { id: string; sourceId: string; deletedAt: string } };
    expect(deleted).toEqual({ id: endUser.id, sourceId: endUser.sourceId, deletedAt: expect.stringMatching(/Z$/) });
    expect(await row(endUser.id)).toEqual({
      deletedAt: new Date(deleted.deletedAt),
      deletedBy: h.stack.operatorEmail,
      userId: null,
    });
    expect(await inConductor(endUser.id)).toBe(false);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect(await pending(endUser.id)).toBe(0);
    const [event] = await h.sql<{ actor: string; conductorRequestId: string; sourceId: string }>(
      `SELECT actor, "conductorRequestId", "sourceId" FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_OFFBOARDED'`,
      [endUser.id],
    );
    expect(event).toEqual({
      actor: h.stack.operatorEmail,
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
    const { endUser } = await h.onboardedCustomer("offboard-race", "Race Away Co");
    const responses = await Promise.all(Array.from({ length: 10 }, () => offboard(endUser.id)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.every((status) => status === 200 || status === 409 || status === 410)).toBe(true);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect(await offboardedEvents(endUser.id)).toBe(1);
  });

  it("503 before Conductor acted → 502 with the request id, row live and pending; the retry asks, then deletes", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-503", "Flaky Before Inc");
    await h.emulator.arm({
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
    const { endUser } = await h.onboardedCustomer("offboard-503-after", "Flaky After Inc");
    await h.emulator.arm({
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

  it.each([
    ["cut off mid-body", { truncate: true }],
    ["saying it was not deleted", { addFields: { deleted: false } }],
    ["in a shape conductor-node does not know", { addFields: { deleted: "yes" } }],
  ])(
    "an answer %s, after Conductor deleted it → 502; the offboarding is left unknown, not refused: pending, and the retry tombstones it without a second DELETE",
    async (_name, fault) => {
      const { endUser } = await h.onboardedCustomer("offboard-unread", "Unread Answer Co");
      await h.emulator.arm({
        provider: "conductor",
        method: "DELETE",
        path: `/end-users/${endUser.id}`,
        times: 1,
        ...fault,
      });
      const first = await offboard(endUser.id);
      expect(first.status).toBe(502);
      expect((await first.json()).error.code).toBe("upstream_invalid_response");
      expect(await inConductor(endUser.id)).toBe(false);
      expect((await row(endUser.id)).deletedAt).toBeNull();
      expect(await pending(endUser.id)).toBe(1);

      expect((await offboard(endUser.id)).status).toBe(200);
      expect(await deletesOf(endUser.id)).toHaveLength(1);
      expect((await row(endUser.id)).deletedAt).not.toBeNull();
      expect(await actionsOf(endUser.id)).toEqual([
        "END_USER_CREATED",
        "OFFBOARDING_OUTCOME_UNKNOWN",
        "END_USER_OFFBOARDED",
      ]);
    },
  );

  it("Conductor answering 404 (deleted in its dashboard) means already gone: tombstoned, one DELETE", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-404", "Already Gone LLC");
    await h.conductor.endUsers.delete(endUser.id);
    await h.emulator.forgetCalls();
    expect((await offboard(endUser.id)).status).toBe(200);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    const [event] = await h.sql<{ data: { confirmedBy: string } }>(
      `SELECT data FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_OFFBOARDED'`,
      [endUser.id],
    );
    expect(event!.data.confirmedBy).toBe("already_gone");
  });

  it("a 404 that is not Conductor's word on the end-user (a wrong base URL) tombstones nothing: the DELETE, the check before a repeated one and Mark offboarded are all refused, 502", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-wrong-url", "Wrong Url Offboarding Ltd");
    const app = await h.startApp({ CONDUCTOR_BASE_URL: `${h.emulator.conductorUrl()}/not-this-path` });
    const staff = await h.signIn(h.stack.operatorEmail, app.origin);
    const refused = async (response: Response) => {
      expect(response.status).toBe(502);
      expect((await response.json()).error.code).toBe("upstream_refused");
      expect((await row(endUser.id)).deletedAt).toBeNull();
    };

    await refused(await offboard(endUser.id, staff));
    expect(await pending(endUser.id)).toBe(0);
    expect(await actionsOf(endUser.id)).toEqual(["END_USER_CREATED", "OFFBOARDING_FAILED"]);

    await h.sql(
      `INSERT INTO "Offboarding" ("endUserId", "requestedBy", "attempts", "deleteStartedAt", "createdAt", "updatedAt")
       VALUES ($1, $2, 1, now(), now(), now())`,
      [endUser.id, h.stack.operatorEmail],
    );
    await refused(await offboard(endUser.id, staff));
    await h.sql(`DELETE FROM "Offboarding" WHERE "endUserId" = $1`, [endUser.id]);

    const mark = await markOffboarded(endUser.id, staff);
    expect(h.actions.formState(mark.body)).toMatchObject({ status: "error", code: "upstream_refused" });
    expect((await row(endUser.id)).deletedAt).toBeNull();
    expect(await inConductor(endUser.id)).toBe(true);
    expect(await actionsOf(endUser.id)).not.toContain("END_USER_OFFBOARDED");
    expect(await actionsOf(endUser.id)).not.toContain("END_USER_TOMBSTONED");
  });

  it("a hang before acting → 504; the reconcile job asks Conductor, deletes it, and records one event as system", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-hang", "Hanging Before Co");
    await h.emulator.arm({
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

    const report = await h.reconcile();
    expect(report.offboardings.offboarded).toBeGreaterThanOrEqual(1);
    expect(await inConductor(endUser.id)).toBe(false);
    expect(await deletesOf(endUser.id)).toHaveLength(2);
    expect(await row(endUser.id)).toMatchObject({ deletedAt: expect.any(Date), deletedBy: h.stack.operatorEmail });
    const events = await h.sql<{ action: string; actor: string }>(
      `SELECT action, actor FROM "AuditEvent" WHERE "endUserId" = $1 AND action <> 'END_USER_CREATED' ORDER BY at`,
      [endUser.id],
    );
    expect(events).toEqual([
      { action: "OFFBOARDING_OUTCOME_UNKNOWN", actor: h.stack.operatorEmail },
      { action: "END_USER_OFFBOARDED", actor: "cron" },
    ]);
  });

  it("a hang after Conductor deleted it → 504; until the reconcile job settles it (no second DELETE), the lookup names the offboarding under way and the customer is told to check later", async () => {
    const { endUser, client } = await h.onboardedCustomer("offboard-hang-after", "Hanging After Co");
    await h.emulator.arm({
      provider: "conductor",
      method: "DELETE",
      path: `/end-users/${endUser.id}`,
      hang: true,
      afterCommit: true,
      times: 1,
    });
    const asked = Date.now();
    expect((await offboard(endUser.id)).status).toBe(504);
    // Until it is settled, the lookup says an offboarding is under way, and the customer is not
    // told to check again in seconds.
    const pendingMapping = await (await h.service(`/api/end-users/lookup?id=${endUser.id}`)).json();
    expect(Date.parse(pendingMapping.offboardingSince)).toBeGreaterThanOrEqual(asked - 1_000);
    const check = await client.json(`/api/end-users/${endUser.id}/connection/check`, {});
    expect((await check.json()).error).toEqual({
      code: "offboarding_in_progress",
      message: "This end-user is being offboarded, and Conductor has not confirmed it yet. Check again later.",
    });
    await h.reconcile();
    expect((await row(endUser.id)).deletedAt).not.toBeNull();
    const settled = await h.service(`/api/end-users/lookup?id=${endUser.id}`);
    expect(settled.status).toBe(410);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect(await offboardedEvents(endUser.id)).toBe(1);
    expect(await pending(endUser.id)).toBe(0);
    // Settled: a later run has nothing left to do for it.
    await h.reconcile();
    expect(await offboardedEvents(endUser.id)).toBe(1);
  });

  it("Conductor refusing (401) deleted nothing: 502, the end-user stays live and not pending, a retry offboards it", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-refused", "Refused Ltd");
    await h.emulator.arm({
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

  it("removes the Altur/Dify links with the end-user (named in the audit event, under the company's name on /audit); a tombstone takes no new link", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-links", "Linked Then Gone");
    const link = (externalId: string) =>
      operator().fetch(`/api/end-users/${endUser.id}/providers/altur`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ externalId }),
      });
    // The sandbox has three Altur end-users for the whole suite: free this one from any earlier test.
    await h.sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'altur' AND "externalId" = $1`, [
      "a1000000-0000-4000-8000-000000000003",
    ]);
    expect((await link("a1000000-0000-4000-8000-000000000003")).status).toBe(200);
    expect((await offboard(endUser.id)).status).toBe(200);
    expect(await h.count(`SELECT 1 FROM "ProviderEndUser" WHERE "endUserId" = $1`, [endUser.id])).toBe(0);
    const [event] = await h.sql<{ data: { unlinked: unknown[] } }>(
      `SELECT data FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_OFFBOARDED'`,
      [endUser.id],
    );
    expect(event!.data.unlinked).toEqual([{ provider: "altur", externalId: "a1000000-0000-4000-8000-000000000003" }]);
    const trail = await (await operator().fetch(`/audit?endUserId=${endUser.id}&action=END_USER_OFFBOARDED`)).text();
    expect(trail).toContain("unlinked Altur a1000000-0000-4000-8000-000000000003");
    // The trail names the offboarded end-user by its company, its id beneath, as it did while it was live.
    expect(trail).toContain(
      `<a href="/end-users/${endUser.id}">Linked Then Gone</a><span class="sub mono">${endUser.id}</span>`,
    );
    expect((await link("a1000000-0000-4000-8000-000000000003")).status).toBe(410);
    // Reading its link says the same as writing one: the end-user is gone, not merely unlinked.
    const read = await operator().fetch(`/api/end-users/${endUser.id}/providers/altur`);
    expect(read.status).toBe(410);
    expect((await read.json()).error.code).toBe("end_user_deleted");
    // So does a lookup by the Altur id it held, as one by its sourceId does.
    const bySourceId = await h.service(`/api/end-users/lookup?sourceId=${endUser.sourceId}`);
    const byAltur = await h.service("/api/end-users/lookup?provider=altur&id=a1000000-0000-4000-8000-000000000003");
    expect(byAltur.status).toBe(410);
    expect(await byAltur.json()).toEqual(await bySourceId.json());
  });

  it("dates the tombstone after a write that held the end-user's row while it waited, so the audit trail lists them in the order they took effect", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-after-writer", "Held Row Co");
    const path = `/end-users/${endUser.id}`;
    await h.emulator.arm({ provider: "conductor", method: "DELETE", path, delayMs: 1_000, times: 1 });
    const offboarded = offboard(endUser.id);
    const writer = new pg.Client({ connectionString: h.stack.databaseUrl });
    await writer.connect();
    try {
      await expect.poll(() => pending(endUser.id), { timeout: 10_000 }).toBe(1);
      await writer.query("BEGIN");
      await writer.query(`SELECT 1 FROM "ConductorEndUser" WHERE "id" = $1 FOR NO KEY UPDATE`, [endUser.id]);
      const { pid } = (await writer.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!;
      const blocked = `SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`;
      await expect.poll(() => h.count(blocked, [pid]), { timeout: 10_000 }).toBe(1);
      await writer.query(
        `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "endUserId")
         VALUES (gen_random_uuid()::text, timezone('UTC', clock_timestamp()), 'PROVIDER_LINKED', 'held-row-writer', $1)`,
        [endUser.id],
      );
      await writer.query("COMMIT");
    } finally {
      await writer.end();
    }
    expect((await offboarded).status).toBe(200);
    const trail = await h.sql<{ action: string }>(
      `SELECT "action"::text AS action FROM "AuditEvent" WHERE "endUserId" = $1 ORDER BY "at" DESC, "id" DESC LIMIT 2`,
      [endUser.id],
    );
    expect(trail.map((event) => event.action)).toEqual(["END_USER_OFFBOARDED", "PROVIDER_LINKED"]);
  });

  it("an Altur link asked for while the offboarding's DELETE is out answers 409 offboarding_in_progress and links nothing, which the tombstone would have taken at once", async () => {
    const { endUser } = await h.onboardedCustomer("offboard-link-race", "Linked While Leaving");
    const ALTUR = "a1000000-0000-4000-8000-000000000002";
    await h.sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'altur' AND "externalId" = $1`, [ALTUR]);
    await deleteUnderWay(endUser.id);
    const linked = await operator().fetch(`/api/end-users/${endUser.id}/providers/altur`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ externalId: ALTUR }),
    });
    expect(linked.status).toBe(409);
    expect((await linked.json()).error.code).toBe("offboarding_in_progress");
    expect(await h.sql(`SELECT 1 FROM "ProviderEndUser" WHERE "endUserId" = $1`, [endUser.id])).toEqual([]);
    const events = `SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'PROVIDER_LINKED'`;
    expect(await h.sql(events, [endUser.id])).toEqual([]);
  });

  it("a customer's creation asked for while the offboarding's DELETE is out answers 409 offboarding_in_progress instead of handing over the end-user Conductor is deleting; nothing is created", async () => {
    const { endUser, client } = await h.onboardedCustomer("offboard-create-race", "Created While Leaving");
    await deleteUnderWay(endUser.id);
    const create = () =>
      client.fetch("/api/end-users", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ companyName: "Created Again" }),
      });
    const since = Date.now();
    const refused = await create();
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toEqual({
      code: "offboarding_in_progress",
      message: `Created While Leaving (end-user ${endUser.id}) is being offboarded, and Conductor has not confirmed it yet. Once it has, it can be set up again.`,
    });
    expect(await h.emulator.calls({ provider: "conductor", since })).toEqual([]);
    expect(await h.cachedCount(endUser.sourceId)).toBe(1);
    // An offboarding that never sent its DELETE leaves the end-user the customer's.
    await h.sql(`UPDATE "Offboarding" SET "deleteStartedAt" = NULL WHERE "endUserId" = $1`, [endUser.id]);
    const kept = await create();
    expect(kept.status).toBe(200);
    expect((await kept.json()).endUser.id).toBe(endUser.id);
    await h.sql(`DELETE FROM "Offboarding" WHERE "endUserId" = $1`, [endUser.id]);
  });

  it("while the offboarding's DELETE is out, the customer's /onboarding and the operator's page say the end-user is being removed and offer no setup, link or check; once the DELETE is known unsent, they are back", async () => {
    const { endUser, client } = await h.onboardedCustomer("offboard-pages", "Leaving Pages Co");
    await deleteUnderWay(endUser.id);
    const actions = ["Open the setup", "Email me this link", "Check now", "Send connect link"];
    const shown = (html: string) => actions.filter((label) => html.includes(`>${label}<`));

    const onboarding = await (await client.fetch("/onboarding")).text();
    expect(onboarding).toContain('data-testid="being-offboarded"');
    expect(onboarding).toMatch(/We are removing <strong>Leaving Pages Co<\/strong> from Conductor/);
    expect(onboarding).not.toContain("Your company is set up with Conductor.");
    expect(shown(onboarding)).toEqual([]);
    const ownPage = await (await client.fetch(`/end-users/${endUser.id}`)).text();
    expect(ownPage).toContain("We are removing this company from Conductor");
    expect(shown(ownPage)).toEqual([]);
    const operatorPage = await (await operator().fetch(`/end-users/${endUser.id}`)).text();
    expect(operatorPage).toContain('data-testid="connection-on-hold"');
    expect(operatorPage).toContain("Offboarding sent Conductor its deletion");
    expect(shown(operatorPage)).toEqual([]);

    await h.sql(`UPDATE "Offboarding" SET "deleteStartedAt" = NULL WHERE "endUserId" = $1`, [endUser.id]);
    const again = await (await client.fetch("/onboarding")).text();
    expect(again).not.toContain('data-testid="being-offboarded"');
    expect(again).toContain("Your company is set up with Conductor.");
    expect(shown(again)).toEqual(["Open the setup", "Email me this link", "Check now"]);
    expect(shown(await (await operator().fetch(`/end-users/${endUser.id}`)).text())).toEqual([
      "Check now",
      "Send connect link",
    ]);
    await h.sql(`DELETE FROM "Offboarding" WHERE "endUserId" = $1`, [endUser.id]);
  });

  it("answers a lookup by a provider id its offboarded holder had for the end-user it is linked to next, and 404 once that one unlinks it", async () => {
    const ALTUR = "a1000000-0000-4000-8000-000000000002";
    const [gone, next] = [
      (await h.onboardedCustomer("offboard-relink", "Held It First")).endUser,
      (await h.onboardedCustomer("offboard-relink", "Holds It Next")).endUser,
    ];
    const lookup = () => h.service(`/api/end-users/lookup?provider=altur&id=${ALTUR}`);
    const link = (endUserId: string) =>
      operator().fetch(`/api/end-users/${endUserId}/providers/altur`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ externalId: ALTUR }),
      });
    // Shared with other tests, as above.
    await h.sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'altur' AND "externalId" = $1`, [ALTUR]);
    expect((await link(gone.id)).status).toBe(200);
    expect((await offboard(gone.id)).status).toBe(200);
    expect((await lookup()).status).toBe(410);

    expect((await link(next.id)).status).toBe(200);
    const found = await lookup();
    expect(found.status).toBe(200);
    expect((await found.json()).id).toBe(next.id);
    expect((await operator().fetch(`/api/end-users/${next.id}/providers/altur`, { method: "DELETE" })).status).toBe(
      204,
    );
    const unlinked = await lookup();
    expect(unlinked.status).toBe(404);
    expect((await unlinked.json()).error.code).toBe("end_user_not_found");
  });
});
