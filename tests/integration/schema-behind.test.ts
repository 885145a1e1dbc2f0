/**
 * New code on a database that lacks its newest migration (deployed before `db:migrate` ran):
 * the app refuses every use of that database with 503 and says why in its log, instead of
 * answering some requests and failing others half-way, and serves once someone migrates.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { migrationNames } from "@/lib/db/migration-names.mjs";
import { applyMigrations } from "@/lib/db/migrations";
import { h } from "../support/harness";
import { HttpClient } from "../support/http";

const newestMigration = migrationNames().at(-1)!;

/** Marks the newest migration applied, or rolled back as `prisma migrate resolve --rolled-back` does. */
const newestApplied = (applied: boolean) =>
  `UPDATE "_prisma_migrations" SET "rolled_back_at" = ${applied ? "NULL" : "now()"}
   WHERE "migration_name" = '${newestMigration}'`;

async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(await response.json()).toEqual({ error: { code: "database_unavailable", message: expect.any(String) } });
}

describe("a database behind this build's migrations", () => {
  it("gets 503 for every request, no upstream call, the missing migration named in the log, and service once it is migrated, without a restart", async () => {
    const database = await h.freshDatabase("schema_behind");
    await applyMigrations(database.url);
    // An operator whose session was made before this deployment.
    const token = randomUUID();
    await database.query(`INSERT INTO "User" ("id", "email") VALUES ('schema-behind-ops', '${h.stack.operatorEmail}')`);
    await database.query(
      `INSERT INTO "Session" ("sessionToken", "userId", "expires")
       VALUES ('${token}', 'schema-behind-ops', now() + interval '1 day')`,
    );
    await database.query(newestApplied(false));
    const app = await h.startApp({ DATABASE_URL: database.url }, "/api/health/live");
    const operator = new HttpClient(app.origin);
    operator.cookies.set("next-auth.session-token", token);

    const since = Date.now();
    await expectUnavailable(await operator.fetch("/api/end-users/end_usr_schemabehind01", { method: "DELETE" }));
    await expectUnavailable(
      await fetch(`${app.origin}/api/end-users/lookup?sourceId=nobody`, {
        headers: { authorization: `Bearer ${h.stack.serviceTokens[0]}` },
      }),
    );
    await expectUnavailable(await h.postSignInForm(h.uniqueEmail("schema-behind"), app.origin));
    const health = await h.health(app.origin);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, database: "unavailable", down: ["database", "rateLimitStore"] });
    expect(await h.emulator.calls({ provider: "conductor", since })).toEqual([]);
    const why = h.logLines(app, "database.unavailable");
    expect(why.length).toBeGreaterThan(0);
    for (const line of why) expect(line).toContain(`lacks migration ${newestMigration}`);
    expect(why.some((line) => line.includes("npm run db:migrate"))).toBe(true);

    await database.query(newestApplied(true));
    expect((await h.health(app.origin)).body).toMatchObject({ ok: true, database: "ok" });
    const deleted = await operator.fetch("/api/end-users/end_usr_schemabehind01", { method: "DELETE" });
    expect(deleted.status).toBe(404);
  });

  it("gets 503 from an app on a database nobody migrated, whose /api/health says so", async () => {
    const database = await h.freshDatabase("never_migrated");
    const app = await h.startApp({ DATABASE_URL: database.url }, "/api/health/live");
    const health = await h.health(app.origin);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, database: "unavailable" });
    await expectUnavailable(await h.postSignInForm(h.uniqueEmail("never-migrated"), app.origin));
    // Polled again, the same reason is logged once, not once a probe.
    await h.health(app.origin);
    const why = h.logLines(app, "database.unavailable").filter((line) => line.includes('"where":"ping"'));
    expect(why).toHaveLength(1);
    expect(why[0]).toContain("newest applied: none");
  });
});
