/**
 * The commands an operator or a Vercel build runs (db:migrate, reconcile) refuse an invalid
 * environment with one message naming the variable, not an uncaught exception and its stack.
 */
import { describe, expect, it } from "vitest";
import { runProcess } from "../support/processes";

/** As package.json's scripts run them. */
const run = (nodeArgs: string[], env: Record<string, string>) =>
  runProcess(process.execPath, nodeArgs, {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    timeoutMs: 60_000,
  });

describe("a command run with an invalid environment", () => {
  it.each([
    ["db:migrate", ["--import", "tsx", "lib/cli/migrate.ts"], "db:migrate failed: "],
    ["reconcile", ["--conditions=react-server", "--import", "tsx", "lib/cli/reconcile.ts"], "reconcile failed: "],
  ])("npm run %s exits 1 with one message naming DATABASE_URL and no stack", async (_, nodeArgs, prefix) => {
    const { code, output } = await run(nodeArgs, { DATABASE_URL: "mysql://x" });
    expect(code, output).toBe(1);
    expect(output).toContain(`${prefix}Invalid environment configuration:`);
    expect(output).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL");
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain("InvalidEnvironmentError");
  });
});
