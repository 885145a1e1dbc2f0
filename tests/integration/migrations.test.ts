import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, diffSql } from "@/lib/db/migrations";
import { catalog } from "../support/catalog";
import { createDatabase, dropDatabase, query } from "../support/database";

const created: string[] = [];
afterAll(async () => {
  for (const name of created) await dropDatabase(name);
});

async function freshDatabase(label: string) {
  const database = await createDatabase(label);
  created.push(database.name);
  return database;
}

describe("prisma/migrations", () => {
  it("creates every table on a new database, changes nothing on a second run, and records itself in _prisma_migrations", async () => {
    const { url } = await freshDatabase("migrate");
    const first = await applyMigrations(url);
    expect(first.length).toBeGreaterThan(0);
    expect(await applyMigrations(url)).toEqual([]);

    const tables = (
      await query<{ table_name: string }>(
        url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      )
    ).map((r) => r.table_name);
    expect(tables).toEqual(
      expect.arrayContaining([
        "User",
        "Account",
        "Session",
        "VerificationToken",
        "ConductorEndUser",
        "IntegrationConnection",
        "OnboardingClaim",
        "ProviderEndUser",
        "AuditEvent",
        "RateLimitWindow",
        "_prisma_migrations",
      ]),
    );
    const recorded = await query<{ migration_name: string; finished_at: Date | null }>(
      url,
      "SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(first);
    expect(recorded.every((r) => r.finished_at)).toBe(true);
  });

  it("produce exactly the schema in schema.prisma (a model without a migration fails here)", async () => {
    const migrated = await freshDatabase("from_migrations");
    await applyMigrations(migrated.url);

    const direct = await freshDatabase("from_schema");
    const sql = await diffSql(direct.url, null);
    const client = new pg.Client({ connectionString: direct.url });
    await client.connect();
    await client.query(sql);
    await client.end();

    expect(await catalog(migrated.url)).toEqual(await catalog(direct.url));
  });
});
