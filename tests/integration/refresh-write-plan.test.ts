/**
 * A refresh writes Conductor's list in chunks of thousands of end-users, in one statement each.
 * Connections Conductor no longer lists can only belong to rows that statement updated: for a
 * chunk of new end-users, the step that removes them must not look up anyone's connections.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { upstreamWrite } from "@/lib/data/end-user-writes";
import type { UpstreamEndUser } from "@/lib/model/end-user";
import { h } from "../support/harness";

type PlanNode = {
  "Node Type": string;
  "Subplan Name"?: string;
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
  Plans?: PlanNode[];
};

const CHUNK = 500;

function subplan(node: PlanNode, name: string): PlanNode | undefined {
  if (node["Subplan Name"] === name) return node;
  for (const child of node.Plans ?? []) {
    const found = subplan(child, name);
    if (found) return found;
  }
  return undefined;
}

function chunk(run: string, connectionVersion: string): UpstreamEndUser[] {
  const createdAt = new Date("2026-03-04T05:06:07.089Z");
  return Array.from({ length: CHUNK }, (_, i) => ({
    id: `end_usr_chunk_${run}_${i}`,
    sourceId: `chunk-${run}-${i}`,
    companyName: `Chunk ${i}`,
    email: `chunk${i}@plans.test`,
    createdAt,
    integrationConnections: [
      {
        id: `int_conn_chunk_${run}_${i}_${connectionVersion}`,
        integrationSlug: "quickbooks_desktop" as const,
        createdAt,
        lastRequestAt: null,
        lastSuccessfulRequestAt: null,
      },
    ],
  }));
}

/** Runs a chunk's write under EXPLAIN ANALYZE (it executes): the removal step's buffer reads. */
async function removalReads(client: pg.Client, endUsers: UpstreamEndUser[]): Promise<number> {
  const statement = upstreamWrite(endUsers, { observedAt: new Date(), auditNew: { actor: "plans@plans.test" } });
  const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  const removal = subplan(rows[0]!["QUERY PLAN"][0].Plan, "CTE stale");
  if (!removal) throw new Error("the write has no removal step named stale");
  return removal["Shared Hit Blocks"] + removal["Shared Read Blocks"];
}

describe("a refresh's chunk write", () => {
  it("removes connections only from rows it updated: a chunk of new end-users reads no index for them, a rewrite replaces them", async () => {
    const client = new pg.Client({ connectionString: h.stack.databaseUrl });
    await client.connect();
    const run = `${Date.now()}`;
    try {
      await client.query("BEGIN");
      // Planned as for a cache of tens of thousands of connections, where their index is probed (the
      // test database is small enough to be read whole); one probe per end-user reads a block each.
      await client.query("SET LOCAL enable_seqscan = off");
      expect(await removalReads(client, chunk(run, "a"))).toBeLessThan(CHUNK / 10);

      await removalReads(client, chunk(run, "b"));
      const { rows } = await client.query<{ id: string }>(
        `SELECT "id" FROM "IntegrationConnection" WHERE "endUserId" LIKE $1`,
        [`end_usr_chunk_${run}_%`],
      );
      expect(rows).toHaveLength(CHUNK);
      expect(rows.every(({ id }) => id.endsWith("_b"))).toBe(true);
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });
});
