/** The machine the table was measured on. */
import { readFileSync } from "node:fs";
import os from "node:os";
import { query } from "@/tests/support/database";
import { worstInterference } from "./interference";

const versionOf = (pkg: string) =>
  (JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, "utf8")) as { version: string }).version;

/** The 1-minute load average: anything else running on the machine shows here. */
export const loadAverage = () => os.loadavg()[0]!.toFixed(2);

/**
 * Waits (at most `timeoutMs`) until no autovacuum worker runs: after a bulk refresh Postgres
 * analyzes and vacuums what was written, on the same cores as what is measured next.
 */
export async function untilAutovacuumIdle(databaseUrl: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const [{ workers } = { workers: 0 }] = await query<{ workers: number }>(
      databaseUrl,
      `SELECT count(*)::int AS workers FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`,
    );
    if (workers === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return performance.now() - started;
}

/** The share of every core's time spent busy over the next `sampleMs`. */
async function busyShare(sampleMs: number): Promise<number> {
  const totals = () =>
    os.cpus().reduce(
      (sum, { times }) => ({
        idle: sum.idle + times.idle,
        all: sum.all + times.user + times.nice + times.sys + times.irq + times.idle,
      }),
      { idle: 0, all: 0 },
    );
  const before = totals();
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  const after = totals();
  return 1 - (after.idle - before.idle) / Math.max(1, after.all - before.all);
}

/**
 * Waits until the machine is quiet: the cores less than `share` busy over half a second (the
 * checkpoint and garbage collection after a large refresh can run for seconds). Returns the wait.
 */
export async function untilQuiet(share = 0.15, timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs && (await busyShare(500)) >= share);
  return performance.now() - started;
}

export async function describeMachine(databaseUrl: string, loadAtStart: string): Promise<string[]> {
  const cpus = os.cpus();
  const [settings] = await query<{ version: string; sync: string; fsync: string; buffers: string }>(
    databaseUrl,
    `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync,
            current_setting('fsync') AS fsync, current_setting('shared_buffers') AS buffers`,
  );
  return [
    `- CPU: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown"}); memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${os.type()} ${os.release()}`,
    `- Node ${process.version}; Next.js ${versionOf("next")}; Prisma ${versionOf("@prisma/client")}; autocannon ${versionOf("autocannon")}`,
    `- Postgres ${settings?.version} on 127.0.0.1 (synchronous_commit=${settings?.sync}, fsync=${settings?.fsync}, shared_buffers=${settings?.buffers})`,
    `- Load generator, servers under test and Postgres share these ${cpus.length} cores: autocannon's own CPU is taken from the server's, ` +
      `so absolute req/s are lower than on separate machines; ratios measured side by side in one run are what the targets use.`,
    `- Other work on the machine: 1-minute load average ${loadAtStart} before the run, ${loadAverage()} at its end; during the ` +
      `load runs of rows 1–3, other processes used at most ${(worstInterference() * 100).toFixed(0)} % of the cores.`,
  ];
}
