/**
 * The cache never goes back in time: a list requested before a newer answer was cached does not
 * overwrite it; duplicates in Conductor keep the cached one fresh; a creation whose end-user was
 * not cached neither closes the claim on it nor audits it; reconcile leaves refused claims alone.
 */
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { saveUpstreamEndUser } from "@/lib/data/end-user-writes";
import { syncCacheWithUpstream } from "@/lib/data/end-user-sync";
import { acquireClaim } from "@/lib/data/onboarding-claims";
import type { UpstreamEndUser } from "@/lib/model/end-user";
import { workClaim } from "@/lib/use-cases/onboarding/work-claim";
import { endUserAnswer } from "@/lib/vendors/conductor/reshape";
import { h } from "../support/harness";

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
let serial = 0;
const uniqueId = (label: string) => `end_usr_${label}${Date.now()}${++serial}`;

function upstreamEndUser(overrides: Partial<UpstreamEndUser> = {}): UpstreamEndUser {
  return {
    id: uniqueId("order"),
    sourceId: `ordering-${Date.now()}-${++serial}`,
    companyName: "Ordered Co",
    email: "o@ordered.test",
    createdAt: minutesAgo(60),
    integrationConnections: [],
    ...overrides,
  };
}

const row = async (id: string) =>
  (
    await h.sql<{ companyName: string; syncedAt: Date }>(
      `SELECT "companyName", "syncedAt" FROM "ConductorEndUser" WHERE id = $1`,
      [id],
    )
  )[0];

afterEach(() => h.emulator.disarm());

describe("list-derived writes", () => {
  it("carry syncedAt = when the list was requested, not when they were written", async () => {
    const endUser = upstreamEndUser();
    const listedAt = minutesAgo(2);
    await syncCacheWithUpstream([endUser], listedAt, "system");
    expect((await row(endUser.id))?.syncedAt.getTime()).toBe(listedAt.getTime());
  });

  it("never replace a row cached from a later answer, nor delete its connections", async () => {
    const connection = {
      id: `int_conn_${Date.now()}`,
      integrationSlug: "quickbooks_desktop" as const,
      createdAt: minutesAgo(1),
      lastRequestAt: minutesAgo(1),
      lastSuccessfulRequestAt: minutesAgo(1),
    };
    const fresh = upstreamEndUser({ companyName: "Fresh name", integrationConnections: [connection] });
    await saveUpstreamEndUser(fresh, { observedAt: minutesAgo(1) });
    const older = { ...fresh, companyName: "Stale name", integrationConnections: [] };
    await syncCacheWithUpstream([older], minutesAgo(5), "system");
    expect((await row(fresh.id))?.companyName).toBe("Fresh name");
    expect(await h.count(`SELECT 1 FROM "IntegrationConnection" WHERE id = $1`, [connection.id])).toBe(1);
  });
});

describe("a creation's write", () => {
  it("is never dated before Conductor created the end-user, though the POST left earlier", async () => {
    // Conductor takes 300 ms: the claim and the POST's departure are well before its createdAt.
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", delayMs: 300, times: 1 });
    const { endUser } = await h.onboardedCustomer("synced-after-created", "Synced After Co");
    const createdAt = new Date(endUser.createdAt).getTime();
    expect(new Date(endUser.syncedAt).getTime()).toBeGreaterThanOrEqual(createdAt);
    expect((await row(endUser.id))!.syncedAt.getTime()).toBeGreaterThanOrEqual(createdAt);
  });
});

describe("a list that holds end-users offboarded here", () => {
  it("counts one offboarded after the list was requested as left as cached, and only one offboarded before it as still listed by Conductor", async () => {
    const [since, before] = [upstreamEndUser(), upstreamEndUser()];
    const tombstone = (endUser: UpstreamEndUser, deletedAt: Date) =>
      h.sql(
        `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "deletedAt", "deletedBy")
         VALUES ($1, $2, $3, $4, $5, $5, $6, 'ops@example.test')`,
        [endUser.id, endUser.sourceId, endUser.companyName, endUser.email, endUser.createdAt, deletedAt],
      );
    await tombstone(since, minutesAgo(1));
    await tombstone(before, minutesAgo(10));
    const report = await syncCacheWithUpstream([since, before], minutesAgo(5), "system");
    expect(report).toMatchObject({ upstream: 2, leftAsCached: 1, offboardedListed: 1, added: 0, updated: 0 });
  });
});

describe("duplicates in Conductor", () => {
  it("keep the cached one of two end-users sharing a sourceId refreshed instead of reporting it as a conflict", async () => {
    const sourceId = `dup-cached-${Date.now()}`;
    await h.conductor.endUsers.create({ companyName: "First", sourceId, email: "first@dup.test" });
    const second = await h.conductor.endUsers.create({ companyName: "Second", sourceId, email: "second@dup.test" });
    await h.sql(
      `INSERT INTO "ConductorEndUser" (id, "sourceId", "companyName", email, "createdAt", "syncedAt")
       VALUES ($1, $2, 'Stale copy', 'second@dup.test', $3, now() - interval '1 day')`,
      [second.id, sourceId, second.createdAt],
    );
    const listedAt = new Date();
    const { data } = await h.conductor.endUsers.list();
    // As the app reads Conductor's list (other tests leave end-users in it that only that reading can store).
    const list = data.map((endUser) => ({ ...endUserAnswer.parse(endUser), integrationConnections: [] }));
    await syncCacheWithUpstream(list, listedAt, "system");
    expect(await row(second.id)).toMatchObject({ companyName: "Second", syncedAt: listedAt });
    expect(await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toBe(1);
  });
});

describe("a creation whose end-user cannot be cached", () => {
  it("answers the cached one as not created, closes the claim on it and audits nothing for the other", async () => {
    const { email, id: sourceId } = await h.customer("race");
    const input = { sourceId, companyName: "Raced Co", email };
    const attempt = await acquireClaim(input, 10_000);
    if (attempt.kind !== "acquired") throw new Error(`expected to acquire the claim, got ${attempt.kind}`);
    // A refresh caches the customer's end-user (made elsewhere) while this request is posting.
    const cachedId = uniqueId("cached");
    await h.sql(
      `INSERT INTO "ConductorEndUser" (id, "sourceId", "companyName", email, "createdAt", "syncedAt")
       VALUES ($1, $2, 'Raced Co', $3, now(), now())`,
      [cachedId, sourceId, email],
    );
    const result = await workClaim(attempt, input, sourceId);
    expect(result).toMatchObject({ created: false, endUser: { id: cachedId } });
    expect(await h.claim(sourceId)).toMatchObject({ state: "DONE", endUserId: cachedId });
    expect(
      await h.count(`SELECT 1 FROM "AuditEvent" WHERE "sourceId" = $1 AND action = 'END_USER_CREATED'`, [sourceId]),
    ).toBe(0);
  });

  it("a customer whose end-user a refresh cached (no claim at all) gets it with 200 and Conductor is not called", async () => {
    const { client, email, id: sourceId } = await h.customer("cached-by-refresh");
    const cachedId = uniqueId("refreshed");
    await h.sql(
      `INSERT INTO "ConductorEndUser" (id, "sourceId", "companyName", email, "createdAt", "syncedAt")
       VALUES ($1, $2, 'Refreshed Co', $3, now(), now())`,
      [cachedId, sourceId, email],
    );
    await h.emulator.forgetCalls();
    const response = await client.json("/api/end-users", { companyName: "Refreshed Co" });
    expect(response.status).toBe(200);
    expect((await response.json()).endUser.id).toBe(cachedId);
    expect(await h.emulator.calls({ provider: "conductor", method: "POST" })).toEqual([]);
  });
});

describe("reconcile and refused claims", () => {
  it("never takes a claim Conductor refused: only the customer's own retry may post again", async () => {
    const sourceId = `refused-${Date.now()}`;
    // Left acquired, the claim would be the next reconcile's to POST for, in whatever test runs then.
    onTestFinished(async () => {
      await h.sql(`DELETE FROM "OnboardingClaim" WHERE "sourceId" = $1`, [sourceId]);
    });
    await h.sql(
      `INSERT INTO "OnboardingClaim" ("sourceId", "companyName", email, state, attempts, "createdAt", "updatedAt")
       VALUES ($1, 'Refused Co', 'r@refused.test', 'FAILED', 1, now(), now())`,
      [sourceId],
    );
    const input = { sourceId, companyName: "Refused Co", email: "r@refused.test" };
    expect((await acquireClaim(input, 10_000, { retryRefused: false })).kind).toBe("busy");
    expect((await acquireClaim(input, 10_000)).kind).toBe("acquired");
  });
});
