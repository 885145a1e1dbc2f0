/**
 * The audit trail: GET /api/audit (filters, keyset paging, actors as emails or "system"), GET
 * /api/audit.csv (the same rows, streamed, quoted, formula-safe), append-only rows, and bad
 * filters refused without writing anything.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { count, sql, userIdFor } from "../support/db";
import { HttpClient, onboardedCustomer, signIn, uniqueEmail } from "../support/http";

const { appOrigin, operatorEmail, cronSecret } = inject("stack");
const tag = `audit${Date.now()}`;
const SEEDED = 240;
let operator: HttpClient;
let legacyEmail = "";

type Event = {
  id: string;
  at: string;
  action: string;
  actor: string;
  endUserId: string | null;
  sourceId: string | null;
  conductorRequestId: string | null;
  data: Record<string, unknown> | null;
};
type Page = { data: Event[]; nextCursor: string | null };

const get = (query: string) => operator.fetch(`/api/audit?${query}`);

async function all(query: string, limit = 7): Promise<Event[]> {
  const seen: Event[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const response = await get(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Page;
    seen.push(...body.data);
    cursor = body.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error("paging did not end");
}

/** RFC 4180, as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      cell += c;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  if (cell || row.length) throw new Error("the CSV does not end with CRLF");
  return rows;
}

beforeAll(async () => {
  operator = await signIn(operatorEmail);
  // A person who acted before emails were stored: their rows hold the user id.
  legacyEmail = uniqueEmail("legacy");
  await signIn(legacyEmail);
  const legacyId = await userIdFor(legacyEmail);
  // Every 5th event shares its time with the one before, so paging must break ties by id.
  await sql(
    `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId", "endUserId", "conductorRequestId", "data")
     SELECT '${tag}-' || lpad(i::text, 4, '0'),
            timestamp '2024-03-01' + ((i - (i % 5 = 0)::int) * interval '1 hour'),
            (ARRAY['END_USER_CREATED','PROVIDER_LINKED','CACHE_REFRESHED','END_USER_OFFBOARDED'])[1 + i % 4]::"AuditAction",
            (ARRAY[$1, 'cron', 'scheduler', 'ops-${tag}@example.test'])[1 + i % 4],
            '${tag}-src-' || (i % 3), 'end_usr_${tag}' || (i % 6),
            CASE WHEN i % 2 = 0 THEN 'req_${tag}' || i END,
            jsonb_build_object('n', i)
     FROM generate_series(1, ${SEEDED}) AS i`,
    [legacyId],
  );
});

describe("GET /api/audit", () => {
  it("pages newest first through every matching event exactly once (ties broken by id)", async () => {
    const events = await all(`sourceId=${tag}-src-1`);
    const expected = await count(`SELECT 1 FROM "AuditEvent" WHERE "sourceId" = $1`, [`${tag}-src-1`]);
    expect(events).toHaveLength(expected);
    expect(new Set(events.map((e) => e.id)).size).toBe(expected);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!];
      expect(a.at.localeCompare(b.at) || a.id.localeCompare(b.id)).toBeGreaterThan(0);
    }
  });

  it("answers {id, at, action, actor, endUserId, sourceId, conductorRequestId, data}; people as emails, jobs as system", async () => {
    const events = await all(`endUserId=end_usr_${tag}4`, 100);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(
        ["action", "actor", "at", "conductorRequestId", "data", "endUserId", "id", "sourceId"].sort(),
      );
      expect(event.at).toMatch(/Z$/);
      expect([legacyEmail, "system", `ops-${tag}@example.test`]).toContain(event.actor);
    }
    const byId = new Map(events.map((e) => [e.id, e]));
    expect(byId.get(`${tag}-0004`)).toMatchObject({ actor: legacyEmail, conductorRequestId: `req_${tag}4` });
    expect(byId.get(`${tag}-0010`)).toMatchObject({ actor: "system", data: { n: 10 } });
  });

  it.each([
    ["action", `action=PROVIDER_LINKED&sourceId=${tag}-src-0`, (i: number) => i % 4 === 1 && i % 3 === 0],
    ["a person, by email (also rows that hold their user id)", "", (i: number) => i % 4 === 0],
    [
      "system (cron, scheduler, cli)",
      `actor=system&sourceId=${tag}-src-2`,
      (i: number) => (i % 4 === 1 || i % 4 === 2) && i % 3 === 2,
    ],
    ["endUserId", `endUserId=end_usr_${tag}5`, (i: number) => i % 6 === 5],
    [
      "since and until, whole days",
      `since=2024-03-02&until=2024-03-03&sourceId=${tag}-src-0`,
      (i: number) => {
        const hour = i - (i % 5 === 0 ? 1 : 0);
        return hour >= 24 && hour < 72 && i % 3 === 0;
      },
    ],
    [
      "until an instant, inclusive",
      `until=2024-03-01T05:00:00Z&endUserId=end_usr_${tag}1`,
      (i: number) => {
        const hour = i - (i % 5 === 0 ? 1 : 0);
        return hour <= 5 && i % 6 === 1;
      },
    ],
  ])("filters by %s", async (_name, query, matches) => {
    const filter = query || `actor=${encodeURIComponent(legacyEmail.toUpperCase())}`;
    const events = (await all(filter, 50)).filter((e) => e.id.startsWith(tag));
    const expected = Array.from({ length: SEEDED }, (_, k) => k + 1).filter(matches);
    expect(events.map((e) => Number(e.id.slice(-4))).sort((a, b) => a - b)).toEqual(expected);
  });

  it("sourceId also finds events that name only an end-user with that sourceId", async () => {
    const { endUser } = await onboardedCustomer("audit-source", "Source Filter Co");
    // The sandbox has three Dify end-users for the whole suite: free this one from any earlier test.
    await sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'dify' AND "externalId" = $1`, [
      "d1000000-0000-4000-8000-000000000001",
    ]);
    const link = await operator.fetch(`/api/end-users/${endUser.id}/providers/dify`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ externalId: "d1000000-0000-4000-8000-000000000001" }),
    });
    expect(link.status).toBe(200);
    const events = await all(`sourceId=${endUser.sourceId}`);
    expect(events.map((e) => e.action)).toEqual(["PROVIDER_LINKED", "END_USER_CREATED"]);
    expect(events[0]).toMatchObject({ actor: operatorEmail, sourceId: null, endUserId: endUser.id });
    expect(events[1]).toMatchObject({ conductorRequestId: expect.stringMatching(/^req_/) });
    // The sandbox has three Dify end-users for every test: give this one back.
    expect((await operator.fetch(`/api/end-users/${endUser.id}/providers/dify`, { method: "DELETE" })).status).toBe(
      204,
    );
  });

  it("records who acted as their email, and jobs as system", async () => {
    const { email, endUser } = await onboardedCustomer("audit-actor", "Actor Email Co");
    const [created] = await all(`endUserId=${endUser.id}&action=END_USER_CREATED`);
    expect(created!.actor).toBe(email);
    expect((await sql(`SELECT actor FROM "AuditEvent" WHERE id = $1`, [created!.id]))[0]).toEqual({ actor: email });
    const cron = await fetch(`${appOrigin}/api/cron/reconcile`, { headers: { authorization: `Bearer ${cronSecret}` } });
    expect(cron.status).toBe(200);
    const [refreshed] = (await (await get("action=CACHE_REFRESHED&actor=system&limit=1")).json()).data as Event[];
    expect(refreshed).toMatchObject({ actor: "system", conductorRequestId: expect.stringMatching(/^req_/) });
  });

  it.each([
    ["an unknown action", "action", "action=END_USER_EXPLODED"],
    ["an actor that is not an email", "actor", "actor=bob"],
    ["a NUL in the actor", "actor", "actor=a%00b@example.test"],
    ["a sourceId with a NUL", "sourceId", "sourceId=x%00y"],
    ["a 10,000-character sourceId", "sourceId", `sourceId=${"s".repeat(10_000)}`],
    ["a malformed end-user id", "endUserId", "endUserId=usr_1"],
    ["a date that is not one", "since", "since=yesterday"],
    ["a local time without offset", "until", "until=2024-03-01T10:00:00"],
    ["since after until", "until", "since=2024-03-05&until=2024-03-01"],
    ["a cursor this API never returned", "cursor", "cursor=bm90LWEtY3Vyc29y"],
    ["limit 0", "limit", "limit=0"],
    ["limit 101", "limit", "limit=101"],
    ["a repeated filter", "action", "action=END_USER_CREATED&action=PROVIDER_LINKED"],
    ["__proto__ as the actor", "actor", "actor=__proto__"],
    ["constructor", "constructor", "constructor=1"],
    ["toString", "toString", "toString=1"],
    ["an unknown field", "tenant", "tenant=1"],
    ["a lone surrogate", "actor", "actor=%ED%A0%80"],
    ["malformed %-encoding", "actor", "actor=%E0%A4%A"],
  ])("%s → 400 naming %s, for JSON and CSV alike; nothing written", async (_name, field, query) => {
    const events = await count(`SELECT 1 FROM "AuditEvent"`);
    for (const route of ["/api/audit", "/api/audit.csv"]) {
      const response = await operator.fetch(`${route}?${query}`);
      expect(response.status).toBe(400);
      const { error } = await response.json();
      expect(error.code).toBe("invalid_request");
      expect(Object.keys(error.fields)).toContain(field);
    }
    expect(await count(`SELECT 1 FROM "AuditEvent"`)).toBe(events);
  });

  it("customers, service tokens and anonymous callers cannot read it, as JSON or CSV", async () => {
    const customer = await signIn(uniqueEmail("audit-snoop"));
    for (const route of ["/api/audit", "/api/audit.csv"]) {
      expect((await customer.fetch(route)).status).toBe(403);
      expect((await new HttpClient(appOrigin).fetch(route)).status).toBe(401);
      const token = await fetch(`${appOrigin}${route}`, {
        headers: { authorization: `Bearer ${inject("stack").serviceTokens[0]}` },
      });
      expect(token.status).toBe(401);
      expect((await token.json()).error.code).toBe("unauthenticated");
    }
  });
});

describe("GET /api/audit.csv", () => {
  it("streams the same events as the JSON API, as an attachment, parsed back cell for cell", async () => {
    const response = await operator.fetch(`/api/audit.csv?sourceId=${tag}-src-0`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-\d{8}-\d{6}\.csv"$/);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(["id", "at", "action", "actor", "endUserId", "sourceId", "conductorRequestId", "data"]);
    const events = await all(`sourceId=${tag}-src-0`, 100);
    expect(rows).toEqual(
      events.map((e) => [
        e.id,
        e.at,
        e.action,
        e.actor,
        e.endUserId ?? "",
        e.sourceId ?? "",
        e.conductorRequestId ?? "",
        e.data ? JSON.stringify(e.data) : "",
      ]),
    );
  });

  it("quotes commas, quotes and line breaks, and defuses cells a spreadsheet would run as formulas", async () => {
    const source = `${tag}-quoting`;
    const hostile = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tindent", 'say "hi", then\r\nleave'];
    await sql(
      `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId", "data")
       SELECT '${source}-' || n, timestamp '2024-01-01' + n * interval '1 second', 'END_USER_CREATED', a, '${source}', jsonb_build_object('note', a)
       FROM unnest($1::text[]) WITH ORDINALITY AS t(a, n)`,
      [hostile],
    );
    const text = await (await operator.fetch(`/api/audit.csv?sourceId=${source}`)).text();
    const [, ...rows] = parseCsv(text);
    const actors = rows.map((row) => row[3]).reverse();
    expect(actors).toEqual([
      '\'=HYPERLINK("http://evil")',
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tindent",
      'say "hi", then\r\nleave',
    ]);
    expect(rows.map((row) => JSON.parse(row[7]!).note).reverse()).toEqual(hostile);
  });

  it("exports more events than one page holds, each exactly once, newest first", async () => {
    const source = `${tag}-bulk`;
    await sql(
      `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId")
       SELECT '${source}-' || lpad(i::text, 5, '0'), timestamp '2023-01-01' + (i / 3) * interval '1 second', 'CACHE_REFRESHED', 'cli', '${source}'
       FROM generate_series(1, 2500) AS i`,
    );
    const rows = parseCsv(await (await operator.fetch(`/api/audit.csv?sourceId=${source}`)).text()).slice(1);
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((row) => row[0])).size).toBe(2500);
    const keys = rows.map((row) => `${row[1]} ${row[0]}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(new Set(rows.map((row) => row[3]))).toEqual(new Set(["system"]));
  });
});

describe("append-only", () => {
  it("the database refuses UPDATE, DELETE and TRUNCATE on audit events", async () => {
    const id = `${tag}-0001`;
    for (const statement of [
      `UPDATE "AuditEvent" SET actor = 'someone-else' WHERE id = '${id}'`,
      `DELETE FROM "AuditEvent" WHERE id = '${id}'`,
      `TRUNCATE "AuditEvent"`,
    ]) {
      await expect(sql(statement), statement).rejects.toThrow(/append-only/);
    }
    expect(await sql(`SELECT actor FROM "AuditEvent" WHERE id = $1`, [id])).toHaveLength(1);
  });

  it("no code path updates or deletes audit events (only inserts)", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const file = path.join(dir, name);
        if (name === "generated" || name === "node_modules") return [];
        return statSync(file).isDirectory() ? files(file) : /\.(ts|tsx)$/.test(name) ? [file] : [];
      });
    const offenders = [...files("lib"), ...files("app")].filter((file) =>
      /auditEvent\.(update|delete|upsert)|(UPDATE|DELETE FROM|TRUNCATE)\s+"AuditEvent"/i.test(
        readFileSync(file, "utf8"),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
