/**
 * The audit trail as CSV, GET /api/audit.csv (the same rows as the JSON API, streamed, quoted,
 * formula-safe), and audit events append-only in the database and in the code.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { seedTrail, trail } from "./audit/trail";

beforeAll(seedTrail);

describe("GET /api/audit.csv", () => {
  it("streams the same events as the JSON API, as a UTF-8 attachment Excel reads as such, parsed back cell for cell", async () => {
    const response = await trail.operator().fetch(`/api/audit.csv?sourceId=${trail.tag}-src-0`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-\d{8}-\d{6}\.csv"$/);
    // People's emails and actions: no cache keeps it.
    expect(response.headers.get("cache-control")).toBe("no-store");
    const bytes = Buffer.from(await response.arrayBuffer());
    // UTF-8's byte order mark first, so that Excel reads the names as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = trail.parseCsv(bytes.subarray(3).toString("utf8"));
    expect(header).toEqual(["id", "at", "action", "actor", "endUserId", "sourceId", "conductorRequestId", "data"]);
    const events = await trail.all(`sourceId=${trail.tag}-src-0`, 100);
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
    const source = `${trail.tag}-quoting`;
    const hostile = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tindent", 'say "hi", then\r\nleave'];
    await h.sql(
      `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId", "data")
       SELECT '${source}-' || n, timestamp '2024-01-01' + n * interval '1 second', 'END_USER_CREATED', a, '${source}', jsonb_build_object('note', a)
       FROM unnest($1::text[]) WITH ORDINALITY AS t(a, n)`,
      [hostile],
    );
    const text = await (await trail.operator().fetch(`/api/audit.csv?sourceId=${source}`)).text();
    const [, ...rows] = trail.parseCsv(text);
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

  it("with GET /api/audit's limit and cursor, exports the page the JSON API answers for the same query string", async () => {
    const query = `sourceId=${trail.tag}-src-0&limit=2`;
    const first = (await (await trail.operator().fetch(`/api/audit?${query}`)).json()) as {
      data: { id: string }[];
      nextCursor: string;
    };
    const next = `${query}&cursor=${encodeURIComponent(first.nextCursor)}`;
    const second = (await (await trail.operator().fetch(`/api/audit?${next}`)).json()) as { data: { id: string }[] };
    for (const [csvQuery, page] of [
      [query, first.data],
      [next, second.data],
    ] as const) {
      const response = await trail.operator().fetch(`/api/audit.csv?${csvQuery}`);
      expect(response.status).toBe(200);
      const [, ...rows] = trail.parseCsv((await response.text()).slice(1));
      expect(rows.map((row) => row[0])).toEqual(page.map((event) => event.id));
    }
    // Each page's CSV says where the next one is, as the JSON's nextCursor does.
    const link = (await trail.operator().fetch(`/api/audit.csv?${query}`)).headers.get("link");
    const linked = /^<([^>]+)>; rel="next"$/.exec(link ?? "");
    expect(linked).not.toBeNull();
    const linkedUrl = new URL(linked![1]!, h.stack.appOrigin);
    expect(linkedUrl.pathname).toBe("/api/audit.csv");
    expect(linkedUrl.searchParams.get("cursor")).toBe(first.nextCursor);
    const followed = await trail.operator().fetch(`${linkedUrl.pathname}${linkedUrl.search}`);
    const [, ...followedRows] = trail.parseCsv((await followed.text()).slice(1));
    expect(followedRows.map((row) => row[0])).toEqual(second.data.map((event) => event.id));
    // Without a limit the file holds every event: there is no next page.
    expect((await trail.operator().fetch(`/api/audit.csv?sourceId=${trail.tag}-src-0`)).headers.get("link")).toBeNull();
    const refused = await trail.operator().fetch(`/api/audit.csv?sourceId=${trail.tag}-src-0&limit=101`);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.fields).toEqual({ limit: ["must be a whole number from 1 to 100, in digits"] });
  });

  it("exports more events than one page holds, each exactly once, newest first", async () => {
    const source = `${trail.tag}-bulk`;
    await h.sql(
      `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId")
       SELECT '${source}-' || lpad(i::text, 5, '0'), timestamp '2023-01-01' + (i / 3) * interval '1 second', 'CACHE_REFRESHED', 'cli', '${source}'
       FROM generate_series(1, 2500) AS i`,
    );
    const rows = trail
      .parseCsv(await (await trail.operator().fetch(`/api/audit.csv?sourceId=${source}`)).text())
      .slice(1);
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((row) => row[0])).size).toBe(2500);
    const keys = rows.map((row) => `${row[1]} ${row[0]}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(new Set(rows.map((row) => row[3]))).toEqual(new Set(["system"]));
  });
});

describe("append-only", () => {
  it("the database refuses UPDATE, DELETE and TRUNCATE on audit events", async () => {
    const id = `${trail.tag}-0001`;
    for (const statement of [
      `UPDATE "AuditEvent" SET actor = 'someone-else' WHERE id = '${id}'`,
      `DELETE FROM "AuditEvent" WHERE id = '${id}'`,
      `TRUNCATE "AuditEvent"`,
    ]) {
      await expect(h.sql(statement), statement).rejects.toThrow(/append-only/);
    }
    expect(await h.sql(`SELECT actor FROM "AuditEvent" WHERE id = $1`, [id])).toHaveLength(1);
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
