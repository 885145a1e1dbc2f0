/**
 * Audit events get time-ordered ids (UUID version 7) however they are written: by a statement of
 * their own, within a transaction, or as a step of a larger statement (uuid_v7() in SQL). Ids
 * written one after another then sit next to each other in the primary key and the (at, id)
 * index. Their times are the database's clock, as every other statement's are.
 */
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/data/audit";
import type { AuditEntry } from "@/lib/model/audit";
import { h } from "../support/harness";

const VERSION_7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix time in milliseconds a version 7 UUID carries in its first 48 bits. */
const embeddedMs = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

const nextMillisecond = async () => {
  const start = Date.now();
  while (Date.now() <= start + 1) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe("audit event ids", () => {
  it("are version 7 UUIDs carrying the time they were written, in the order written, alone and within a transaction alike", async () => {
    const sourceId = `audit-ids-${Date.now()}`;
    const entry: AuditEntry = { action: "CONNECT_LINK_SENT", actor: "ids@audit.test", sourceId };
    const before = Date.now();
    const writers = [
      () => recordAudit(entry),
      () => db().then((client) => client.$transaction((tx) => recordAudit(entry, tx))),
    ];
    for (let i = 0; i < 6; i++) {
      await writers[i % 2]!();
      await nextMillisecond();
    }
    const after = Date.now();

    const rows = await h.sql<{ id: string }>(
      `SELECT "id" FROM "AuditEvent" WHERE "sourceId" = $1 ORDER BY "at", "id"`,
      [sourceId],
    );
    expect(rows).toHaveLength(6);
    for (const { id } of rows) {
      expect(id).toMatch(VERSION_7);
      // Postgres's clock and this process's are the same machine's: a second covers rounding.
      expect(embeddedMs(id)).toBeGreaterThanOrEqual(before - 1_000);
      expect(embeddedMs(id)).toBeLessThanOrEqual(after + 1_000);
    }
    const ids = rows.map((r) => r.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it("an event recorded within a transaction is timed by the database's clock, even with this process's clock an hour off", async () => {
    const sourceId = `audit-clock-${Date.now()}`;
    const entry: AuditEntry = { action: "CONNECT_LINK_SENT", actor: "clock@audit.test", sourceId };
    const client = await db();
    // As an app host whose clock drifted from the database host's would be.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3_600_000 });
    try {
      await client.$transaction((tx) => recordAudit(entry, tx));
    } finally {
      vi.useRealTimers();
    }
    const [event] = await h.sql<{ skew: number }>(
      `SELECT abs(extract(epoch FROM timezone('UTC', clock_timestamp()) - "at"))::float AS skew
       FROM "AuditEvent" WHERE "sourceId" = $1`,
      [sourceId],
    );
    expect(event!.skew).toBeLessThan(60);
  });

  it("are distinct and never go back in time within one statement (10,000 written by uuid_v7())", async () => {
    const [row] = await h.sql<{ ids: number; distinct: number; malformed: number; backwards: number }>(`
      SELECT count(*)::int AS ids, count(DISTINCT id)::int AS distinct,
             (count(*) FILTER (WHERE id::text !~ '${VERSION_7.source}'))::int AS malformed,
             (count(*) FILTER (WHERE left(id::text, 13) < left(previous::text, 13)))::int AS backwards
      FROM (SELECT id, lag(id) OVER (ORDER BY n) AS previous
            FROM (SELECT n, uuid_v7() AS id FROM generate_series(1, 10000) AS n) AS generated) AS ordered`);
    expect(row).toEqual({ ids: 10_000, distinct: 10_000, malformed: 0, backwards: 0 });
  });
});
