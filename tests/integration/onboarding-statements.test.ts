/**
 * What onboarding costs the database, statement by statement, seen on the wire between the app
 * and Postgres: the server action and the page Next renders after it in the same response share
 * the session they looked up and the end-user the action cached.
 */
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";

/** A read of `table`: a SELECT from it (writes that look a row up on the way are not reads). */
const reads = (table: string) => ({
  test: (sql: string) => /^\s*SELECT\b/i.test(sql) && new RegExp(`FROM ("public"\\.)?"${table}"`).test(sql),
});

describe("the onboarding action's statements", () => {
  it("look the session up once and never read back the end-user it just cached, while the page shows it", async () => {
    const { app, log } = await h.startLoggedApp();
    const client = await h.signIn(h.uniqueEmail("statements"), app.origin);
    expect((await client.fetch("/onboarding")).status).toBe(200);
    const pageAlone = log.statements();
    expect(pageAlone.filter((sql) => reads("Session").test(sql))).toHaveLength(1);
    log.clear();

    const reply = await h.actions.onboard(client, "Statements Co");
    expect(h.actions.formState(reply.body).status).toBe("success");
    // The answer holds the step that follows, naming the new end-user.
    expect(reply.body).toContain("Your company is set up with Conductor.");
    expect(reply.body).toContain("Connect QuickBooks Desktop");

    const statements = log.statements();
    expect(statements.some((sql) => sql.includes(`INSERT INTO "OnboardingClaim"`))).toBe(true);
    expect(statements.some((sql) => sql.includes(`INSERT INTO "ConductorEndUser"`))).toBe(true);
    expect(statements.filter((sql) => reads("Session").test(sql))).toHaveLength(1);
    expect(
      statements.filter((sql) => reads("ConductorEndUser").test(sql) || reads("OnboardingClaim").test(sql)),
    ).toEqual([]);
  });

  it("read the end-user again on the next request, which is a new one", async () => {
    const { app, log } = await h.startLoggedApp();
    const client = await h.signIn(h.uniqueEmail("statements-next"), app.origin);
    expect(h.actions.formState((await h.actions.onboard(client, "Next Request Co")).body).status).toBe("success");
    log.clear();

    const page = await client.fetch("/onboarding");
    expect(await page.text()).toContain("Next Request Co");
    expect(log.statements().filter((sql) => reads("Session").test(sql))).toHaveLength(1);
    expect(log.statements().filter((sql) => reads("ConductorEndUser").test(sql)).length).toBeGreaterThan(0);
  });
});
