/**
 * Which commits wait for the disk. The claim taken before Conductor is called must survive a
 * database crash (it is what keeps a second POST from leaving); the write that caches what
 * Conductor answered need not, because losing it leaves that claim for its next holder, who looks
 * the end-user up in Conductor first.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { upstreamWrite, type WriteOptions } from "@/lib/data/end-user-writes";
import type { UpstreamEndUser } from "@/lib/model/end-user";
import { h } from "../support/harness";

const endUser = (run: string): UpstreamEndUser => ({
  id: `end_usr_flush_${run}`,
  sourceId: `flush-${run}`,
  companyName: "Flush Co",
  email: "owner@flush.test",
  createdAt: new Date("2026-03-04T05:06:07.089Z"),
  integrationConnections: [],
});

/** What the write's transaction would commit with: it runs, and is rolled back. */
async function commitSetting(options: WriteOptions): Promise<string> {
  const client = new pg.Client({ connectionString: h.stack.databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    const statement = upstreamWrite([endUser(`${Date.now()}-${Math.random()}`)], options);
    const [written] = (await client.query<{ written: number }>(statement.text, statement.values)).rows;
    expect(written?.written).toBe(1);
    return (await client.query<{ setting: string }>(`SELECT current_setting('synchronous_commit') AS setting`)).rows[0]!
      .setting;
  } finally {
    await client.query("ROLLBACK");
    await client.end();
  }
}

describe("commits that wait for the disk", () => {
  it("a write marked not durable commits without waiting for its WAL; any other write waits, as the server is set", async () => {
    expect(await commitSetting({ durable: false })).toBe("off");
    expect(await commitSetting({})).toBe("on");
    expect(await commitSetting({ auditNew: { actor: "refresh@flush.test" } })).toBe("on");
  });

  it("onboarding flushes the claim before the POST, and caches Conductor's answer without waiting for the flush", async () => {
    const { app, log } = await h.startLoggedApp();
    const client = await h.signIn(h.uniqueEmail("flush"), app.origin);
    log.clear();
    const reply = await h.actions.onboard(client, "Flush Co");
    expect(h.actions.formState(reply.body).status).toBe("success");

    const statements = log.statements();
    const claim = statements.filter((sql) => sql.includes(`INSERT INTO "OnboardingClaim"`));
    const cache = statements.filter((sql) => sql.includes(`INSERT INTO "ConductorEndUser"`));
    expect(claim).toHaveLength(1);
    expect(cache).toHaveLength(1);
    expect(claim[0]).not.toContain("synchronous_commit");
    expect(cache[0]).toContain(`set_config('synchronous_commit', 'off', true)`);
  });
});
