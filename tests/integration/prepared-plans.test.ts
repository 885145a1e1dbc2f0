/**
 * Named statements are planned once per connection only when Postgres keeps their generic plan;
 * it keeps it when it costs no more than a plan for the values at hand. The write that caches one
 * end-user (each creation, check and page that refreshes one) must qualify: re-planned on every
 * execution, it spent 0.4 ms of its 0.7 ms in Postgres planning.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { auditStep } from "@/lib/data/audit";
import { ifCached, upstreamWrite } from "@/lib/data/end-user-writes";
import { claimDoneStep } from "@/lib/data/onboarding-claims";
import { h } from "../support/harness";

/** Postgres plans a named statement for its values five times before it weighs the generic plan. */
const EXECUTIONS = 8;

const endUser = (i: number, connections: number) => ({
  id: `end_usr_plan_${i}_${connections}`,
  sourceId: `plan-${i}-${connections}`,
  companyName: `Planned ${i}`,
  email: `plan${i}@plans.test`,
  createdAt: new Date("2026-01-02T03:04:05.678Z"),
  integrationConnections: Array.from({ length: connections }, (_, k) => ({
    id: `int_conn_plan_${i}_${k}`,
    integrationSlug: "quickbooks_desktop" as const,
    createdAt: new Date("2026-01-02T03:04:05.678Z"),
    lastRequestAt: null,
    lastSuccessfulRequestAt: null,
  })),
});

describe("the one-end-user write", () => {
  it.each([0, 1])(
    "keeps its generic plan on a connection, for an end-user with %i connections, as a creation writes it",
    async (connections) => {
      const client = new pg.Client({ connectionString: h.stack.databaseUrl });
      await client.connect();
      try {
        await client.query("BEGIN");
        for (let i = 0; i < EXECUTIONS; i++) {
          const upstream = endUser(i, connections);
          const { sourceId, id } = upstream;
          const statement = upstreamWrite([upstream], {
            alongside: [
              claimDoneStep(sourceId, id, ifCached(id)),
              auditStep(
                { action: "END_USER_CREATED", actor: "plans@plans.test", sourceId, endUserId: id },
                ifCached(id),
              ),
            ],
          });
          const { rows } = await client.query({ name: "one_end_user", text: statement.text, values: statement.values });
          expect(rows[0].syncedAt).not.toBeNull();
        }
        const { rows } = await client.query<{ generic: string; custom: string }>(
          "SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE name = 'one_end_user'",
        );
        expect(Number(rows[0]!.generic)).toBeGreaterThan(0);
      } finally {
        await client.query("ROLLBACK");
        await client.end();
      }
    },
  );
});

describe("the one-end-user write a read or a check makes", () => {
  it("keeps its generic plan on a connection with the cached row locked first and the changes audited", async () => {
    const client = new pg.Client({ connectionString: h.stack.databaseUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      for (let i = 0; i < EXECUTIONS; i++) {
        // Cached first without a connection, then read with one: the row is there to lock, and its status changes.
        const upstream = endUser(i + EXECUTIONS, 1);
        const first = upstreamWrite([{ ...upstream, integrationConnections: [] }]);
        await client.query(first.text, first.values);
        const statement = upstreamWrite([upstream], { auditAs: { actor: "plans@plans.test" }, lockBefore: true });
        const { rows } = await client.query({
          name: "one_end_user_read",
          text: statement.text,
          values: statement.values,
        });
        expect(rows[0].syncedAt).not.toBeNull();
      }
      const { rows } = await client.query<{ generic: string }>(
        "SELECT generic_plans AS generic FROM pg_prepared_statements WHERE name = 'one_end_user_read'",
      );
      expect(Number(rows[0]!.generic)).toBeGreaterThan(0);
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });
});
