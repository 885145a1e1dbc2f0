/**
 * The operator's "Refresh from Conductor" (the refresh server action over HTTP): it pulls the
 * upstream list into the cache and reports what changed, writes nothing when nothing changed,
 * and leaves duplicates and conflicting sourceIds for a person to look at.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { h, type HttpClient } from "../support/harness";

let operator: HttpClient;

beforeAll(async () => {
  operator = await h.operator();
});

const refresh = async () => h.actions.formState((await h.actions.refresh(operator)).body);

/** A row only the cache has, synced a minute ago. */
async function cachedOnly(label: string) {
  const id = `end_usr_${label}${Date.now()}`;
  await h.sql(
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
     VALUES ($1, $1, 'Only Cached Co', 'o@cached.example', now() - interval '1 minute', now() - interval '1 minute')`,
    [id],
  );
  return id;
}

describe("Refresh from Conductor", () => {
  it("leaves each end-user it adds or finds gone an event of its own in the trail, naming the list's request", async () => {
    const gone = await cachedOnly("trailgone");
    const created = await h.conductor.endUsers.create({
      companyName: "Made Elsewhere For The Trail",
      sourceId: `trail-${Date.now()}`,
      email: "t@elsewhere.example",
    });
    expect((await refresh()).status).toBe("success");
    const trailOf = async (endUserId: string) =>
      (await (await operator.fetch(`/api/audit?endUserId=${endUserId}`)).json()).data as {
        action: string;
        actor: string;
        conductorRequestId: string | null;
      }[];
    expect(await trailOf(created.id)).toEqual([
      expect.objectContaining({
        action: "END_USER_CACHED",
        actor: h.stack.operatorEmail,
        conductorRequestId: expect.stringMatching(/^req_/),
      }),
    ]);
    expect(await trailOf(gone)).toEqual([
      expect.objectContaining({ action: "END_USER_MISSING_UPSTREAM", actor: h.stack.operatorEmail }),
    ]);
    // Once each: a second refresh finds nothing new and nothing newly gone.
    expect((await refresh()).status).toBe("success");
    expect(await trailOf(created.id)).toHaveLength(1);
    expect(await trailOf(gone)).toHaveLength(1);
    const page = (await (await operator.fetch(`/audit?endUserId=${created.id}`)).text()).replaceAll("&#x27;", "'");
    expect(page).toContain("Cached from Conductor (created outside this app");
    // The refresh's own event says what it changed, in the words the refresh answered with.
    const refreshes = await (await operator.fetch("/audit?action=CACHE_REFRESHED")).text();
    expect(refreshes).toMatch(/\d+ added, \d+ updated, \d+ unchanged, \d+ missing upstream/);
  });

  it("takes the connection of an end-user Conductor no longer has: not_started, its cached connection gone, an event saying so", async () => {
    const gone = await cachedOnly("connectedgone");
    await h.sql(
      `UPDATE "ConductorEndUser" SET "connectionStatus" = 'connected', "connectionCheckOutcome" = 'passed',
         "connectionCheckedAt" = now() - interval '1 minute' WHERE "id" = $1`,
      [gone],
    );
    await h.sql(
      `INSERT INTO "IntegrationConnection" ("id", "endUserId", "integrationSlug", "createdAt", "lastRequestAt", "lastSuccessfulRequestAt")
       VALUES ($1, $2, 'quickbooks_desktop', now() - interval '2 minutes', now() - interval '2 minutes', now() - interval '2 minutes')`,
      [`int_conn_${gone.slice(8)}`, gone],
    );
    expect((await refresh()).status).toBe("success");

    const { connectionStatus, missingUpstreamSince } = await (
      await h.service(`/api/end-users/lookup?id=${gone}`)
    ).json();
    expect({ connectionStatus, missing: missingUpstreamSince !== null }).toEqual({
      connectionStatus: "not_started",
      missing: true,
    });
    const { endUser } = await (await operator.fetch(`/api/end-users/${gone}?cache=only`)).json();
    expect(endUser.integrationConnections).toEqual([]);
    const listed = await (await operator.fetch(`/api/end-users?status=connected&q=${gone}`)).json();
    expect(listed.data).toEqual([]);
    const trail = (await (await operator.fetch(`/api/audit?endUserId=${gone}`)).json()).data;
    expect(trail).toContainEqual(
      expect.objectContaining({
        action: "CONNECTION_STATUS_CHANGED",
        data: { from: "connected", to: "not_started", via: "conductor_record" },
      }),
    );
  });

  it("leaves an end-user found in Conductor's list again, or renamed there, an event of its own", async () => {
    const stamp = Date.now();
    const upstream = await h.conductor.endUsers.create({
      companyName: `Renamed Upstream ${stamp}`,
      sourceId: `renamed-${stamp}`,
      email: "renamed@elsewhere.example",
    });
    expect((await refresh()).status).toBe("success");
    // As a row cached before Conductor's copy was renamed, and since missing from its list.
    await h.sql(
      `UPDATE "ConductorEndUser" SET "companyName" = 'Old Name', "missingUpstreamSince" = '2026-01-02T03:04:05.678Z',
         "syncedAt" = "syncedAt" - interval '1 hour' WHERE "id" = $1`,
      [upstream.id],
    );
    expect((await refresh()).status).toBe("success");
    const events = await h.sql<{ action: string; data: unknown; conductorRequestId: string | null }>(
      `SELECT action::text, data, "conductorRequestId" FROM "AuditEvent"
       WHERE "endUserId" = $1 AND action::text LIKE '%UPSTREAM' ORDER BY action`,
      [upstream.id],
    );
    expect(events).toEqual([
      {
        action: "END_USER_BACK_UPSTREAM",
        data: { missingSince: "2026-01-02T03:04:05.678Z" },
        conductorRequestId: expect.stringMatching(/^req_/),
      },
      {
        action: "END_USER_CHANGED_UPSTREAM",
        data: { companyName: { from: "Old Name", to: `Renamed Upstream ${stamp}` } },
        conductorRequestId: expect.stringMatching(/^req_/),
      },
    ]);
    const page = (await (await operator.fetch(`/audit?endUserId=${upstream.id}`)).text()).replaceAll("&#x27;", "'");
    expect(page).toContain(`company: Old Name → Renamed Upstream ${stamp}`);
    expect(page).toContain("Found in Conductor again");
    // Once each: a third refresh finds nothing to record.
    expect((await refresh()).status).toBe("success");
    expect(
      await h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action::text LIKE '%UPSTREAM'`, [
        upstream.id,
      ]),
    ).toBe(2);
  });

  it("caches a name Postgres cannot store as sent (a NUL, a lone surrogate) with U+FFFD in its place, and refreshes the rest", async () => {
    const stamp = Date.now();
    const odd = await h.conductor.endUsers.create({
      companyName: `Nul\u0000Co \ud800 ${stamp}`,
      sourceId: `odd-${stamp}\u0000`,
      email: "odd@elsewhere.example",
    });
    const plain = await h.conductor.endUsers.create({
      companyName: `Plain Co ${stamp}`,
      sourceId: `plain-${stamp}`,
      email: "plain@elsewhere.example",
    });
    expect((await refresh()).status).toBe("success");
    const cached = await h.sql<{ id: string; companyName: string; sourceId: string }>(
      `SELECT "id", "companyName", "sourceId" FROM "ConductorEndUser" WHERE "id" = ANY($1) ORDER BY "sourceId"`,
      [[odd.id, plain.id]],
    );
    expect(cached).toEqual([
      { id: odd.id, companyName: `Nul\uFFFDCo \uFFFD ${stamp}`, sourceId: `odd-${stamp}\uFFFD` },
      { id: plain.id, companyName: `Plain Co ${stamp}`, sourceId: `plain-${stamp}` },
    ]);
    // Compared as stored, the odd one is unchanged the next time: its row is not written again.
    const syncedAt = async () =>
      (await h.sql<{ syncedAt: Date }>(`SELECT "syncedAt" FROM "ConductorEndUser" WHERE "id" = $1`, [odd.id]))[0]!
        .syncedAt;
    const before = await syncedAt();
    expect((await refresh()).status).toBe("success");
    expect(await syncedAt()).toEqual(before);
  });

  it("confirms an unchanged live end-user as of its list, but never an offboarded one, which Conductor no longer lists", async () => {
    const offboardedId = `end_usr_gonebefore${Date.now()}`;
    const offboardedAt = new Date(Date.now() - 3_600_000);
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "deletedAt", "deletedBy")
       VALUES ($1, $1, 'Offboarded Co', 'o@offboarded.example', $2, $2, $2, 'ops@example.test')`,
      [offboardedId, offboardedAt],
    );
    const live = await h.conductor.endUsers.create({
      companyName: "Still Listed Co",
      sourceId: `listed-${Date.now()}`,
      email: "l@listed.example",
    });
    expect((await refresh()).status).toBe("success");
    expect((await refresh()).status).toBe("success");
    const syncedAtOf = async (id: string) => {
      const response = await operator.fetch(`/api/end-users?include=deleted&q=${id}`);
      const [row] = ((await response.json()) as { data: { id: string; syncedAt: string }[] }).data;
      return row?.syncedAt;
    };
    const [lastRefresh] = await h.sql<{ listedAt: string }>(
      `SELECT "data"->>'listedAt' AS "listedAt" FROM "AuditEvent" WHERE "action" = 'CACHE_REFRESHED' ORDER BY "at" DESC LIMIT 1`,
    );
    expect(await syncedAtOf(live.id)).toBe(lastRefresh!.listedAt);
    expect(await syncedAtOf(offboardedId)).toBe(offboardedAt.toISOString());
  });

  it("pulls the upstream list into the cache and reports what changed; a second run writes nothing", async () => {
    await cachedOnly("gone");
    const created = await h.conductor.endUsers.create({
      companyName: "Made Elsewhere",
      sourceId: `elsewhere-${Date.now()}`,
      email: "e@elsewhere.example",
    });

    const first = await refresh();
    expect(first.status).toBe("success");
    expect(first.message).toMatch(/[1-9]\d* added/);
    expect(await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE id = $1`, [created.id])).toBe(1);
    expect(first.message).toMatch(/[1-9]\d* missing upstream/);

    const before = await h.sql<{ max: Date }>(`SELECT max("syncedAt") AS max FROM "ConductorEndUser"`);
    const second = await refresh();
    expect(second.message).toMatch(/ 0 added, 0 updated, \d+ unchanged, 0 missing upstream/);
    expect(await h.sql(`SELECT max("syncedAt") AS max FROM "ConductorEndUser"`)).toEqual(before);
  });
});

describe("Refresh from Conductor, when Conductor lists an end-user offboarded here", () => {
  it("leaves its tombstone as it is, and counts it in the report, whose counts add up to the list", async () => {
    const listed = await h.conductor.endUsers.create({
      companyName: "Listed Again Co",
      sourceId: `relisted-${Date.now()}`,
      email: "r@relisted.example",
    });
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "deletedAt", "deletedBy")
       VALUES ($1, $2, 'Offboarded Here', 'r@relisted.example', now(), now(), now(), 'ops@example.test')`,
      [listed.id, listed.sourceId],
    );
    const { message } = await refresh();
    expect(message).toMatch(/, 1 offboarded here but still listed by Conductor/);
    const [event] = await h.sql<{ data: Record<string, number> }>(
      `SELECT "data" FROM "AuditEvent" WHERE "action" = 'CACHE_REFRESHED' ORDER BY "at" DESC LIMIT 1`,
    );
    const { upstream, added, updated, unchanged, leftAsCached, duplicates, conflicts, offboardedListed } = event!.data;
    expect(offboardedListed).toBe(1);
    expect(added! + updated! + unchanged! + leftAsCached! + duplicates! + conflicts! + offboardedListed!).toBe(
      upstream,
    );
    expect(await h.sql(`SELECT "companyName" FROM "ConductorEndUser" WHERE "id" = $1`, [listed.id])).toEqual([
      { companyName: "Offboarded Here" },
    ]);
  });
});

describe("Refresh from Conductor, when Conductor holds duplicates", () => {
  it("caches the earliest of several end-users sharing a sourceId, and explains the other one", async () => {
    const sourceId = `dup-${Date.now()}`;
    const first = await h.conductor.endUsers.create({ companyName: "First Of Two", sourceId, email: "d@dup.example" });
    const second = await h.conductor.endUsers.create({
      companyName: "Second Of Two",
      sourceId,
      email: "d@dup.example",
    });
    const { message } = await refresh();
    // Named, with the end-user kept and the one ignored, for an operator to remove in Conductor.
    expect(message).toMatch(/duplicate sourceIds ignored \(sourceId /);
    expect(message).toContain(`sourceId ${sourceId}: ${first.id} kept, ${second.id} ignored`);
    expect(await h.sql(`SELECT id FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toEqual([
      { id: first.id },
    ]);
    const trail = (await (await operator.fetch("/audit?action=CACHE_REFRESHED")).text()).replaceAll("<!-- -->", "");
    expect(trail).toContain(`sourceId ${sourceId}: ${first.id} kept, ${second.id} ignored`);

    const html = await (await operator.fetch(`/end-users/${second.id}`)).text();
    expect(html).toContain("another end-user with the same sourceId");
    expect(html).toContain(first.id);
  });

  it("leaves a sourceId cached under another id alone and reports the conflict", async () => {
    const sourceId = `conflict-${Date.now()}`;
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
       VALUES ($1, $2, 'Cached Here', 'c@conflict.example', now(), now())`,
      [`end_usr_local${Date.now()}`, sourceId],
    );
    const upstream = await h.conductor.endUsers.create({
      companyName: "Created Upstream",
      sourceId,
      email: "c@conflict.example",
    });
    expect((await refresh()).message).toMatch(/[1-9]\d* conflicting sourceIds left for review/);
    expect(await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE id = $1`, [upstream.id])).toBe(0);
    expect(await h.sql(`SELECT "companyName" FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toEqual([
      { companyName: "Cached Here" },
    ]);
  });
});
