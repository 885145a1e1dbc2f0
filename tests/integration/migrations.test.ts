import { readFileSync } from "node:fs";
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

  it("keeps, of the provider ids offboardings unlinked before it, those whose last event is that offboarding: for their latest offboarded holder", async () => {
    const { url } = await freshDatabase("offboarded_links");
    await applyMigrations(url);
    const text = readFileSync("prisma/migrations/20261204090638_offboarded_provider_links/migration.sql", "utf8");
    const backfill = text.slice(text.indexOf("INSERT INTO"));
    for (const id of ["A", "B", "C", "D", "LIVE"])
      await query(
        url,
        `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "deletedAt")
         VALUES ($1, $1, $1, 'x@example.com', now(), now(), CASE WHEN $1 = 'LIVE' THEN NULL ELSE now() END)`,
        [id],
      );
    let second = 0;
    const event = (action: string, endUserId: string, data: unknown) =>
      query(
        url,
        `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "endUserId", "data")
         VALUES (gen_random_uuid()::text, now() - make_interval(secs => 100 - $1), $2::"AuditAction", 'op', $3, $4::jsonb)`,
        [++second, action, endUserId, JSON.stringify(data)],
      );
    const unlinked = (...ids: string[]) => ({ unlinked: ids.map((externalId) => ({ provider: "altur", externalId })) });
    const linked = (externalId: string) => ({ provider: "altur", externalId });
    await event("PROVIDER_LINKED", "A", linked("X"));
    await event("END_USER_OFFBOARDED", "A", unlinked("X"));
    await event("END_USER_OFFBOARDED", "B", unlinked("Y"));
    await event("PROVIDER_LINKED", "LIVE", linked("Y"));
    await event("END_USER_TOMBSTONED", "C", unlinked("Z"));
    await event("PROVIDER_LINKED", "D", linked("Z"));
    await event("END_USER_OFFBOARDED", "D", unlinked("Z", "W"));
    await event("END_USER_OFFBOARDED", "C", { confirmedBy: "an event from before offboardings named links" });
    await event("END_USER_OFFBOARDED", "B", unlinked("V"));
    await event("PROVIDER_UNLINKED", "LIVE", linked("V"));
    await query(
      url,
      `INSERT INTO "ProviderEndUser" ("provider", "externalId", "endUserId", "fetchedAt", "linkedBy")
       VALUES ('altur', 'Y', 'LIVE', now(), 'op')`,
    );

    await query(url, backfill);
    expect(
      await query(url, `SELECT "externalId", "endUserId" FROM "OffboardedProviderLink" ORDER BY "externalId"`),
    ).toEqual([
      { externalId: "W", endUserId: "D" },
      { externalId: "X", endUserId: "A" },
      { externalId: "Z", endUserId: "D" },
    ]);
  });
});
