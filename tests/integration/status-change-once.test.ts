/**
 * A customer's page and an operator's reading one end-user's record at the same moment: the
 * status change Conductor's record shows is recorded once, not once for each reader.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { saveUpstreamEndUser } from "@/lib/data/end-user-writes";
import type { UpstreamEndUser } from "@/lib/model/end-user";
import { endUserAnswer } from "@/lib/vendors/conductor/reshape";
import { h } from "../support/harness";

const statusEvents = (endUserId: string) =>
  h.count(`SELECT 1 FROM "AuditEvent" WHERE action = 'CONNECTION_STATUS_CHANGED' AND "endUserId" = $1`, [endUserId]);

/** An end-user cached as Not started, and Conductor's record of it once a setup has begun. */
async function cachedThenSetUp(label: string): Promise<{ id: string; setUp: UpstreamEndUser }> {
  const made = await h.conductor.endUsers.create({
    companyName: `${label} Co`,
    sourceId: `${label}-${Date.now()}`,
    email: `${label}@once.test`,
  });
  const upstream = endUserAnswer.parse(made);
  expect((await saveUpstreamEndUser(upstream)).connection.status).toBe("not_started");
  const connection = {
    id: `int_conn_${label.replaceAll("-", "_")}_${Date.now()}`,
    integrationSlug: "quickbooks_desktop" as const,
    createdAt: new Date(),
    lastRequestAt: null,
    lastSuccessfulRequestAt: null,
  };
  return { id: upstream.id, setUp: { ...upstream, integrationConnections: [connection] } };
}

describe("a status change two readers see at once", () => {
  it("a read alone records Not started → In progress once", async () => {
    const { id, setUp } = await cachedThenSetUp("alone");
    const cached = await saveUpstreamEndUser(setUp, { auditAs: { actor: "ops@once.test" } });
    expect(cached.connection.status).toBe("in_progress");
    expect(await statusEvents(id)).toBe(1);
  });

  it("a read whose write waited on another reader's uncommitted change records no second change", async () => {
    const { id, setUp } = await cachedThenSetUp("waited");
    // The other reader has written In progress (and its own event) and not committed yet.
    const other = new pg.Client({ connectionString: h.stack.databaseUrl });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`UPDATE "ConductorEndUser" SET "connectionStatus" = 'in_progress' WHERE id = $1`, [id]);
      const { rows } = await other.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      const reading = saveUpstreamEndUser(setUp, { auditAs: { actor: "customer@once.test" } });
      await h.until("the second read's write to wait on the first one's row", async () =>
        (await h.count(`SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [rows[0]!.pid])) > 0
          ? true
          : undefined,
      );
      await other.query("COMMIT");
      expect((await reading).connection.status).toBe("in_progress");
    } finally {
      await other.end();
    }
    expect(await statusEvents(id)).toBe(0);
  });
});
