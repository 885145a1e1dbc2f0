/**
 * The operator's JSON API and the mapping lookup: keyset paging over 10,000 cached end-users,
 * search on every field, lookups both ways, and answers from the cache while Conductor fails.
 */
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { emulator } from "../support/emulator";
import { count, sql } from "../support/db";
import { HttpClient, onboardedCustomer, signIn } from "../support/http";

const { appOrigin, operatorEmail, serviceTokens } = inject("stack");
const SEEDED = 10_000;
const prefix = `seed${Date.now()}`;
let operator: HttpClient;

const service = (path: string, token = serviceTokens[0]!) =>
  fetch(`${appOrigin}${path}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  operator = await signIn(operatorEmail);
  // Every 7th row shares its createdAt with the row before it, so paging must break ties by id.
  await sql(
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
     SELECT 'end_usr_${prefix}' || lpad(i::text, 5, '0'), '${prefix}-src-' || i, 'Company ${prefix} ' || i || CASE WHEN i % 1000 = 0 THEN ' Zebra Holdings' ELSE '' END,
            'owner' || i || '@${prefix}.example', timestamp '2025-01-01' + ((i - (i % 7 = 0)::int) * interval '1 second'), now()
     FROM generate_series(1, ${SEEDED}) AS i`,
  );
});

afterEach(() => emulator.disarm());

describe("GET /api/end-users", () => {
  it("pages through 10,000 cached end-users returning every row exactly once, newest first", async () => {
    // Offboarded end-users (tombstones) are listed only when asked for.
    const total = await count(`SELECT 1 FROM "ConductorEndUser" WHERE "deletedAt" IS NULL`);
    expect(total).toBeGreaterThanOrEqual(SEEDED);
    const seen: string[] = [];
    let previous: { createdAt: string; id: string } | null = null;
    let cursor: string | null = null;
    for (let page = 0; page < 200; page++) {
      const query = new URLSearchParams({ limit: "100", ...(cursor ? { cursor } : {}) });
      const response = await operator.fetch(`/api/end-users?${query}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: { id: string; createdAt: string }[]; nextCursor: string | null };
      for (const row of body.data) {
        if (previous) {
          const order = previous.createdAt.localeCompare(row.createdAt) || previous.id.localeCompare(row.id);
          expect(order).toBeGreaterThan(0);
        }
        previous = row;
        seen.push(row.id);
      }
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("answers PRODUCT.md's EndUser shape", async () => {
    const body = await (await operator.fetch(`/api/end-users?limit=1&q=${prefix}-src-42`)).json();
    expect(body).toEqual({
      data: [
        {
          id: `end_usr_${prefix}00042`,
          sourceId: `${prefix}-src-42`,
          companyName: `Company ${prefix} 42`,
          email: `owner42@${prefix}.example`,
          createdAt: expect.stringMatching(/Z$/),
          syncedAt: expect.stringMatching(/Z$/),
          deletedAt: null,
          integrationConnections: [],
          connection: { status: "not_started", checkedAt: null, message: null, conductorRequestId: null },
        },
      ],
      nextCursor: null,
      counts: { not_started: 1, in_progress: 0, connected: 0, needs_attention: 0 },
    });
  });

  it.each([
    ["company (any case, any part)", "zebra HOLDINGS", 10],
    ["email", `owner4242@${prefix}`, 1],
    ["sourceId", `${prefix}-src-4242`, 1],
    ["id", `end_usr_${prefix}04242`, 1],
  ])("finds by %s", async (_field, q, expected) => {
    const body = (await (await operator.fetch(`/api/end-users?limit=100&q=${encodeURIComponent(q)}`)).json()) as {
      data: unknown[];
    };
    expect(body.data).toHaveLength(expected);
  });

  it("treats search text literally: _ and % match only themselves", async () => {
    await sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt") VALUES
         ('end_usr_${prefix}lit1', '${prefix}-lit1', 'Wild_Card 100% ${prefix}', 'lit1@${prefix}.example', now(), now()),
         ('end_usr_${prefix}lit2', '${prefix}-lit2', 'WildXCard 1000 ${prefix}', 'lit2@${prefix}.example', now(), now())`,
    );
    const search = async (q: string) =>
      (
        (await (await operator.fetch(`/api/end-users?q=${encodeURIComponent(q)}`)).json()) as { data: { id: string }[] }
      ).data.map((row) => row.id);
    expect(await search("wild_card")).toEqual([`end_usr_${prefix}lit1`]);
    expect(await search("100%")).toEqual([`end_usr_${prefix}lit1`]);
    expect(await search("%_%")).toEqual([]);
  });

  it.each([
    ["limit 0", "limit=0", "limit"],
    ["limit 101", "limit=101", "limit"],
    ["a non-numeric limit", "limit=ten", "limit"],
    ["a forged cursor", "cursor=forged", "cursor"],
    ["a 201-character search", `q=${"x".repeat(201)}`, "q"],
    ["an unknown parameter", "sort=name", "sort"],
  ])("rejects %s with 400 naming the field", async (_label, query, field) => {
    const response = await operator.fetch(`/api/end-users?${query}`);
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fields)).toContain(field);
  });
});

describe("GET /api/end-users/lookup", () => {
  it("maps sourceId → Conductor id and back, from the cache", async () => {
    const bySource = await service(`/api/end-users/lookup?sourceId=${prefix}-src-7`);
    expect(bySource.status).toBe(200);
    const mapping = await bySource.json();
    expect(mapping).toEqual({
      id: `end_usr_${prefix}00007`,
      sourceId: `${prefix}-src-7`,
      companyName: `Company ${prefix} 7`,
      email: `owner7@${prefix}.example`,
      createdAt: expect.any(String),
      syncedAt: expect.any(String),
      connectionStatus: "not_started",
      linkedProviders: { altur: null, dify: null },
    });
    const byId = await (await service(`/api/end-users/lookup?id=${mapping.id}`)).json();
    expect(byId).toEqual(mapping);
  });

  it("accepts the second token of a rotation too", async () => {
    expect((await service(`/api/end-users/lookup?sourceId=${prefix}-src-7`, serviceTokens[1])).status).toBe(200);
  });

  it("answers 404 for an unknown key", async () => {
    const response = await service(`/api/end-users/lookup?sourceId=nobody-${Date.now()}`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("end_user_not_found");
  });

  it.each([
    ["a missing key", "", "sourceId"],
    ["both keys", "sourceId=a&id=b", "id"],
    ["an oversized sourceId", `sourceId=${"s".repeat(256)}`, "sourceId"],
    ["a repeated sourceId (wrong type)", "sourceId=a&sourceId=b", "sourceId"],
    ["an empty sourceId", "sourceId=", "sourceId"],
    ["an unknown parameter", "email=a@b.co", "email"],
    ["a malformed Altur id", "provider=altur&id=not-a-uuid", "id"],
    ["an unknown provider", "provider=zapier&id=x", "provider"],
  ])("rejects %s with 400 naming the field", async (_label, query, field) => {
    const response = await service(`/api/end-users/lookup?${query}`);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("invalid_request");
    expect(Object.keys(error.fields)).toContain(field);
  });

  it("lets server code call the same function directly", async () => {
    const { lookupEndUser } = await import("@/lib/use-cases/lookup/lookup");
    const mapping = await lookupEndUser({ sourceId: `${prefix}-src-9` });
    expect(mapping.id).toBe(`end_usr_${prefix}00009`);
    await expect(lookupEndUser({ id: "end_usr_nope" })).rejects.toMatchObject({
      status: 404,
      code: "end_user_not_found",
    });
  });
});

describe("while Conductor fails", () => {
  async function onboarded() {
    const { client, endUser } = await onboardedCustomer("fallback", "Fallback GmbH");
    return { client, id: endUser.id, sourceId: endUser.sourceId };
  }

  it("the detail API answers the cached copy with a notice and the request id when Conductor returns 500", async () => {
    const { id } = await onboarded();
    await emulator.arm({ provider: "conductor", method: "GET", path: `/end-users/${id}`, status: 500, times: 5 });
    const response = await operator.fetch(`/api/end-users/${id}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      fresh: false,
      conductorRequestId: expect.stringMatching(/^req_/),
      endUser: { id, companyName: "Fallback GmbH" },
    });
    expect(body.notice).toMatch(/Conductor had a problem.*cached copy, last synced/);
  });

  it("the detail page renders the cache with a notice when Conductor hangs, within the bounded timeout", async () => {
    const { id } = await onboarded();
    await emulator.arm({ provider: "conductor", method: "GET", path: `/end-users/${id}`, hang: true, times: 5 });
    const started = Date.now();
    const response = await operator.fetch(`/end-users/${id}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(html).toContain("Fallback GmbH");
    expect(html).toContain("Conductor did not answer in time.");
    // The cached copy was in the first part of the page, sent before Conductor was even asked.
    expect(html.indexOf("Showing the cached copy while Conductor is asked")).toBeGreaterThan(-1);
    expect(html.indexOf("Showing the cached copy while Conductor is asked")).toBeLessThan(
      html.indexOf("Conductor did not answer in time."),
    );
    expect(html).toMatch(/Showing the cached copy, last synced (just now|\d+ minutes? ago)/);
  });

  it("?cache=only never calls Conductor", async () => {
    const { id } = await onboarded();
    await emulator.forgetCalls();
    const body = await (await operator.fetch(`/api/end-users/${id}?cache=only`)).json();
    expect(body).toMatchObject({ fresh: false, endUser: { id } });
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("the lookup keeps answering from the cache and makes no upstream call", async () => {
    const { sourceId, id } = await onboarded();
    await emulator.arm({ provider: "conductor", status: 500, times: 100 });
    await emulator.forgetCalls();
    const response = await service(`/api/end-users/lookup?sourceId=${sourceId}`);
    expect(response.status).toBe(200);
    expect((await response.json()).id).toBe(id);
    expect(await emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("the operator's detail page lists what happened, from the audit trail", async () => {
    const { id } = await onboarded();
    const html = await (await operator.fetch(`/end-users/${id}`)).text();
    expect(html).toContain("Activity");
    expect(html).toContain("Created in Conductor");
    expect(html).toMatch(/fallback-[^<]*@example\.test/);
  });

  it("a fresh answer refreshes the cache", async () => {
    const { id, client } = await onboarded();
    await sql(`UPDATE "ConductorEndUser" SET "companyName" = 'Stale Name', "syncedAt" = '2020-01-01' WHERE id = $1`, [
      id,
    ]);
    const body = await (await client.fetch(`/api/end-users/${id}`)).json();
    expect(body).toMatchObject({ fresh: true, endUser: { id, companyName: "Fallback GmbH" } });
    expect(body.notice).toBeUndefined();
    const [row] = await sql<{ companyName: string; syncedAt: Date }>(
      `SELECT "companyName", "syncedAt" FROM "ConductorEndUser" WHERE id = $1`,
      [id],
    );
    expect(row!.companyName).toBe("Fallback GmbH");
    expect(Date.now() - row!.syncedAt.getTime()).toBeLessThan(60_000);
  });
});

describe("the detail page for an id nothing is cached for", () => {
  async function upstreamOnly() {
    const { default: Conductor } = await import("conductor-node");
    const sdk = new Conductor({ apiKey: inject("stack").secretKey, baseURL: emulator.conductorUrl(), maxRetries: 0 });
    return sdk.endUsers.create({
      companyName: "Only Upstream Co",
      sourceId: `upstream-only-${Date.now()}`,
      email: "u@upstream.example",
    });
  }

  it("asks Conductor, shows the end-user and caches it", async () => {
    const created = await upstreamOnly();
    const response = await operator.fetch(`/end-users/${created.id}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Only Upstream Co");
    expect(await count(`SELECT 1 FROM "ConductorEndUser" WHERE id = $1`, [created.id])).toBe(1);
  });

  it("answers 404 when Conductor does not know it either", async () => {
    expect((await operator.fetch("/end-users/end_usr_neverexisted")).status).toBe(404);
  });

  it("says Conductor failed, with the request id, when there is nothing to fall back on", async () => {
    const created = await upstreamOnly();
    await emulator.arm({
      provider: "conductor",
      method: "GET",
      path: `/end-users/${created.id}`,
      status: 503,
      times: 5,
    });
    const html = await (await operator.fetch(`/end-users/${created.id}`)).text();
    expect(html).toContain("End-user unavailable");
    expect(html).toContain("Nothing is cached for this id yet.");
    expect(html).toMatch(/Conductor request id: <!-- -->?<code>req_[a-z0-9]+<\/code>|Conductor request id: <code>req_/);
  });
});

describe("Refresh from Conductor", () => {
  it("pulls the upstream list into the cache and reports what changed; a second run writes nothing", async () => {
    const { refresh, formState } = await import("../support/actions");
    const { default: Conductor } = await import("conductor-node");
    const sdk = new Conductor({ apiKey: inject("stack").secretKey, baseURL: emulator.conductorUrl(), maxRetries: 0 });
    const created = await sdk.endUsers.create({
      companyName: "Made Elsewhere",
      sourceId: `elsewhere-${Date.now()}`,
      email: "e@elsewhere.example",
    });

    const first = formState((await refresh(operator)).body);
    expect(first.status).toBe("success");
    expect(first.message).toMatch(/[1-9]\d* added/);
    expect(await count(`SELECT 1 FROM "ConductorEndUser" WHERE id = $1`, [created.id])).toBe(1);
    expect(first.message).toMatch(new RegExp(`${SEEDED}\\d* missing upstream|[1-9]\\d* missing upstream`));

    const before = await sql<{ max: Date }>(`SELECT max("syncedAt") AS max FROM "ConductorEndUser"`);
    const second = formState((await refresh(operator)).body);
    expect(second.message).toMatch(/ 0 added, 0 updated, \d+ unchanged, 0 missing upstream/);
    expect(await sql(`SELECT max("syncedAt") AS max FROM "ConductorEndUser"`)).toEqual(before);
  });
});

describe("Refresh from Conductor, when Conductor holds duplicates", () => {
  async function sdk() {
    const { default: Conductor } = await import("conductor-node");
    return new Conductor({ apiKey: inject("stack").secretKey, baseURL: emulator.conductorUrl(), maxRetries: 0 });
  }

  it("caches the earliest of several end-users sharing a sourceId, and explains the other one", async () => {
    const conductor = await sdk();
    const sourceId = `dup-${Date.now()}`;
    const first = await conductor.endUsers.create({ companyName: "First Of Two", sourceId, email: "d@dup.example" });
    const second = await conductor.endUsers.create({ companyName: "Second Of Two", sourceId, email: "d@dup.example" });
    const { refresh, formState } = await import("../support/actions");
    expect(formState((await refresh(operator)).body).message).toMatch(/duplicate sourceIds ignored/);
    expect(await sql(`SELECT id FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toEqual([
      { id: first.id },
    ]);

    const html = await (await operator.fetch(`/end-users/${second.id}`)).text();
    expect(html).toContain("another end-user with the same sourceId");
    expect(html).toContain(first.id);
  });

  it("leaves a sourceId cached under another id alone and reports the conflict", async () => {
    const sourceId = `conflict-${Date.now()}`;
    await sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
       VALUES ($1, $2, 'Cached Here', 'c@conflict.example', now(), now())`,
      [`end_usr_local${Date.now()}`, sourceId],
    );
    const upstream = await (
      await sdk()
    ).endUsers.create({ companyName: "Created Upstream", sourceId, email: "c@conflict.example" });
    const { refresh, formState } = await import("../support/actions");
    expect(formState((await refresh(operator)).body).message).toMatch(/[1-9]\d* conflicting sourceIds left for review/);
    expect(await count(`SELECT 1 FROM "ConductorEndUser" WHERE id = $1`, [upstream.id])).toBe(0);
    expect(await sql(`SELECT "companyName" FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toEqual([
      { companyName: "Cached Here" },
    ]);
  });
});
