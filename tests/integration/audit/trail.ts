/**
 * The audit trail one test file reads: SEEDED_EVENTS events under its own tag (actors: a person
 * whose rows hold their user id, the jobs, an operator's email), the operator reading them,
 * paging through GET /api/audit, and a CSV parser as a spreadsheet reads it. `seedTrail()` in
 * the file's beforeAll fills it.
 */
import { expect } from "vitest";
import { h, type HttpClient } from "../../support/harness";

export const SEEDED_EVENTS = 240;

export type AuditEvent = {
  id: string;
  at: string;
  action: string;
  actor: string;
  endUserId: string | null;
  sourceId: string | null;
  conductorRequestId: string | null;
  data: Record<string, unknown> | null;
};
type Page = { data: AuditEvent[]; nextCursor: string | null };

let operator: HttpClient | undefined;
let legacyEmail = "";

export const trail = {
  tag: `audit${Date.now()}`,
  operator(): HttpClient {
    if (!operator) throw new Error("seedTrail() has not run (call it in beforeAll)");
    return operator;
  },
  /** A person who acted before emails were stored: their rows hold the user id. */
  legacyEmail: () => legacyEmail,
  get: (query: string) => trail.operator().fetch(`/api/audit?${query}`),
  /** Every event matching `query`, page by page (`limit` a page). */
  async all(query: string, limit = 7): Promise<AuditEvent[]> {
    const seen: AuditEvent[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1_000; page++) {
      const response = await trail.get(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Page;
      seen.push(...body.data);
      cursor = body.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error("paging did not end");
  },
  parseCsv,
};

export async function seedTrail(): Promise<void> {
  const { tag } = trail;
  operator = await h.operator();
  const legacy = await h.customer("legacy");
  legacyEmail = legacy.email;
  // Every 5th event shares its time with the one before, so paging must break ties by id.
  await h.sql(
    `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId", "endUserId", "conductorRequestId", "data")
     SELECT '${tag}-' || lpad(i::text, 4, '0'),
            timestamp '2024-03-01' + ((i - (i % 5 = 0)::int) * interval '1 hour'),
            (ARRAY['END_USER_CREATED','PROVIDER_LINKED','CACHE_REFRESHED','END_USER_OFFBOARDED'])[1 + i % 4]::"AuditAction",
            (ARRAY[$1, 'cron', 'scheduler', 'ops-${tag}@example.test'])[1 + i % 4],
            '${tag}-src-' || (i % 3), 'end_usr_${tag}' || (i % 6),
            CASE WHEN i % 2 = 0 THEN 'req_${tag}' || i END,
            jsonb_build_object('n', i)
     FROM generate_series(1, ${SEEDED_EVENTS}) AS i`,
    [legacy.id],
  );
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
