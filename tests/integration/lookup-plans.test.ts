/**
 * A lookup alone (a batch of one key, as every lookup is when traffic is light) runs its one-key
 * statement, which Postgres plans once per connection: the batch statements' array parameter
 * would have it planned anew on every execution.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => vi.unstubAllEnvs());

describe("lookups one at a time", () => {
  it("keep each kind's generic plan on their connection", async () => {
    // One connection: the statements counted below are the lookups' own.
    vi.stubEnv("DATABASE_POOL_MAX", "1");
    const { findMapping } = await import("@/lib/data/lookup");
    const { pgPool } = await import("@/lib/db/client");
    for (let i = 0; i < 12; i++) {
      await findMapping({ sourceId: `plans-source-${i}` });
      await findMapping({ id: `end_usr_plans${i}` });
      await findMapping({ provider: "altur", externalId: `plans-altur-${i}` });
    }
    const { rows } = await (
      await pgPool()
    ).query<{ name: string; generic: number; custom: number }>(
      `SELECT name, generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
       WHERE name LIKE 'lookup_by_%' ORDER BY name`,
    );
    expect(rows).toHaveLength(3);
    // Postgres plans for the values five times before it weighs the generic plan, then keeps it.
    for (const row of rows) expect({ name: row.name, custom: row.custom }).toEqual({ name: row.name, custom: 5 });
    for (const row of rows) expect({ name: row.name, generic: row.generic }).toEqual({ name: row.name, generic: 7 });
  });
});
