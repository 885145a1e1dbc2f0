/**
 * The lookup's prepared statements survive a pooler that loses them: when the server no longer
 * knows a statement the client prepared (as when a transaction-mode pooler hands the connection
 * to another server), the lookup still answers, from then on with unnamed statements.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { h } from "../support/harness";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("lookup statements", () => {
  it("keep answering after the server forgets them, warning once that named statements are off", async () => {
    // One connection, so the statement the lookup prepared is on the connection DEALLOCATE runs on.
    vi.stubEnv("DATABASE_POOL_MAX", "1");
    const { findMapping } = await import("@/lib/data/lookup");
    const { pgPool } = await import("@/lib/db/client");
    const sourceId = `prepared-${Date.now()}`;
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
       VALUES ($1, $2, 'Prepared Co', 'p@prepared.example', now(), now())`,
      [`end_usr_${sourceId.replace("-", "")}`, sourceId],
    );
    expect((await findMapping({ sourceId }))?.companyName).toBe("Prepared Co");

    const warnings: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void warnings.push(line));
    await (await pgPool()).query("DEALLOCATE ALL");
    expect((await findMapping({ sourceId }))?.companyName).toBe("Prepared Co");
    expect((await findMapping({ sourceId }))?.companyName).toBe("Prepared Co");
    expect(warnings.filter((line) => line.includes("db.named_statements_off"))).toHaveLength(1);
  });
});
