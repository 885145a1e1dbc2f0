/**
 * A refresh racing a creation, or another refresh: what each records is true. A creation answered
 * after the cache got its end-user from a later answer still closes its claim and is audited; a list taken while a
 * POST was on its way does not flag that end-user missing; an older list neither clears a newer
 * "missing" flag nor is counted as having updated what it left alone.
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { saveUpstreamEndUser } from "@/lib/data/end-user-writes";
import { syncCacheWithUpstream } from "@/lib/data/end-user-sync";
import { acquireClaim } from "@/lib/data/onboarding-claims";
import { snapshotUpstream } from "@/lib/use-cases/onboarding/settle";
import { workClaim } from "@/lib/use-cases/onboarding/work-claim";
import { endUserAnswer } from "@/lib/vendors/conductor/reshape";
import { h } from "../support/harness";

afterEach(() => h.emulator.disarm());

const eventsOf = (action: string, endUserId: string) =>
  h.count(`SELECT 1 FROM "AuditEvent" WHERE action = $1 AND "endUserId" = $2`, [action, endUserId]);

const missingSince = async (id: string) =>
  (
    await h.sql<{ missingUpstreamSince: Date | null }>(
      `SELECT "missingUpstreamSince" FROM "ConductorEndUser" WHERE id = $1`,
      [id],
    )
  )[0]?.missingUpstreamSince;

/** A customer's creation, started with its claim held, and the POST it sends seen by the sandbox. */
async function creationUnderWay(label: string) {
  const { email, id: sourceId } = await h.customer(label);
  const input = { sourceId, companyName: `${label} Co`, email };
  const attempt = await acquireClaim(input, 30_000);
  if (attempt.kind !== "acquired") throw new Error(`expected to acquire the claim, got ${attempt.kind}`);
  const since = Date.now();
  const creating = workClaim(attempt, input, email);
  await h.until("Conductor to receive the POST", async () =>
    (await h.emulator.calls({ provider: "conductor", method: "POST", path: "/end-users", since })).length > 0
      ? true
      : undefined,
  );
  return { sourceId, creating };
}

/**
 * A creation whose end-user Conductor has made, while its answer is a second away: the end-user
 * as Conductor lists it.
 */
async function creationAnsweredLate(label: string) {
  await h.emulator.arm({
    provider: "conductor",
    method: "POST",
    path: "/end-users",
    afterCommit: true,
    delayMs: 1_000,
    times: 1,
  });
  const { sourceId, creating } = await creationUnderWay(label);
  const [upstream] = await h.until("the end-user to exist in Conductor", async () => {
    const found = await h.upstream(sourceId);
    return found.length ? found : undefined;
  });
  return { sourceId, creating, upstream: upstream! };
}

describe("a refresh racing a creation", () => {
  it("a creation answered after the cache got its end-user from a later answer closes its claim and records the creation in the customer's name", async () => {
    const { sourceId, creating, upstream } = await creationAnsweredLate("answered-late");
    // As a refresh listing it meanwhile would: cached from an answer requested after the POST left.
    const cached = await saveUpstreamEndUser(endUserAnswer.parse(upstream));
    expect(cached.id).toBe(upstream.id);
    // Cached before the creation heard back: its claim still open, nothing recorded yet.
    expect(await h.claim(sourceId)).toMatchObject({ state: "IN_FLIGHT" });
    expect(await eventsOf("END_USER_CREATED", upstream.id)).toBe(0);

    const result = await creating;
    expect(result).toMatchObject({ created: true, endUser: { id: upstream.id } });
    expect(await h.claim(sourceId)).toMatchObject({ state: "DONE", endUserId: upstream.id });
    expect(await eventsOf("END_USER_CREATED", upstream.id)).toBe(1);
  });

  it("a creation whose write waited on a refresh's uncommitted row closes its claim and records the creation once it commits", async () => {
    const { sourceId, creating, upstream } = await creationAnsweredLate("waited-on-refresh");
    // A refresh's transaction, listed after the POST left, holds the row it inserted uncommitted.
    const refresh = new pg.Client({ connectionString: h.stack.databaseUrl });
    await refresh.connect();
    try {
      await refresh.query("BEGIN");
      await refresh.query(
        `INSERT INTO "ConductorEndUser" (id, "sourceId", "companyName", email, "createdAt", "syncedAt")
         VALUES ($1, $2, $3, $4, $5, timezone('UTC', now()))`,
        [upstream.id, sourceId, upstream.companyName, upstream.email, upstream.createdAt],
      );
      const { rows } = await refresh.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await h.until("the creation's write to wait on the refresh's row", async () =>
        (await h.count(`SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [rows[0]!.pid])) > 0
          ? true
          : undefined,
      );
      await refresh.query("COMMIT");
    } finally {
      await refresh.end();
    }

    expect(await creating).toMatchObject({ created: true, endUser: { id: upstream.id } });
    expect(await h.claim(sourceId)).toMatchObject({ state: "DONE", endUserId: upstream.id });
    expect(await eventsOf("END_USER_CREATED", upstream.id)).toBe(1);
  });

  it("a list requested while a creation's POST was on its way does not flag that end-user missing", async () => {
    // The POST reaches Conductor, which creates the end-user only a second later.
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", delayMs: 1_000, times: 1 });
    const { sourceId, creating } = await creationUnderWay("listed-before");
    const snapshot = await snapshotUpstream("background");
    expect(snapshot.endUsers.map((endUser) => endUser.sourceId)).not.toContain(sourceId);
    const { endUser } = await creating;

    await syncCacheWithUpstream(snapshot.endUsers, snapshot.listedAt, "ops@refresh.test");
    expect(await missingSince(endUser.id)).toBeNull();
    expect(await eventsOf("END_USER_MISSING_UPSTREAM", endUser.id)).toBe(0);
  });
});

describe("two refreshes, the older list last", () => {
  it("an older list neither clears a newer 'missing' flag nor records the end-user back, and counts it left as cached, not updated", async () => {
    const made = await h.conductor.endUsers.create({
      companyName: "Deleted Meanwhile Co",
      sourceId: `deleted-meanwhile-${Date.now()}`,
      email: "d@meanwhile.test",
    });
    const first = await snapshotUpstream("background");
    await syncCacheWithUpstream(first.endUsers, first.listedAt, "ops@refresh.test");
    // A refresh requests the list, and its answer is slow; meanwhile the end-user is deleted and
    // a second refresh, listed after the deletion, runs to its end first.
    const older = await snapshotUpstream("background");
    await h.conductor.endUsers.delete(made.id);
    const newer = await snapshotUpstream("background");
    await syncCacheWithUpstream(newer.endUsers, newer.listedAt, "ops@refresh.test");
    expect(await missingSince(made.id)).toEqual(newer.listedAt);

    const olderReport = await syncCacheWithUpstream(older.endUsers, older.listedAt, "ops@refresh.test");
    expect(await missingSince(made.id)).toEqual(newer.listedAt);
    expect(await eventsOf("END_USER_BACK_UPSTREAM", made.id)).toBe(0);
    expect(olderReport).toMatchObject({ added: 0, updated: 0, leftAsCached: 1 });
  });
});
