/**
 * `npm run bench`: measures the table's rows side by side in one run (see
 * stack.ts for what it starts) and prints one markdown table, each target met or not,
 * and the machine. Everything it starts is stopped and its databases dropped, on success and on
 * failure alike. Progress goes to stderr.
 */
import { renderTable, summary, type Row } from "./report";
import { measureAuthSessions } from "./scenarios/auth-session";
import { measureBundles } from "./scenarios/bundles";
import { measureColdStart } from "./scenarios/cold-start";
import { measureCreation } from "./scenarios/creation";
import { measureList } from "./scenarios/list";
import { measureLookup } from "./scenarios/lookup";
import { measureRefresh } from "./scenarios/refresh";
import { runAll } from "./cleanup";
import { describeMachine, loadAverage } from "./measure/machine";
import { startStack } from "./stack";

async function main(): Promise<string> {
  const started = performance.now();
  const loadAtStart = loadAverage();
  const bench = await startStack();

  const rows: Row[] = [];
  rows.push(...(await measureList(bench)));
  await bench.tenRows.app.stop();
  rows.push(...(await measureLookup(bench)));
  rows.push(...(await measureCreation(bench)));
  rows.push(...(await measureAuthSessions(bench)));
  rows.push(...(await measureRefresh(bench, 6, 10_000, { ...bench, app: bench.app })));
  await Promise.all([bench.app.stop(), bench.baseline.stop()]);
  rows.push(...(await measureRefresh(bench, 9, 100_000, bench.hundredThousand)));
  await bench.hundredThousand.app.stop();
  rows.push(...measureBundles());
  rows.push(...(await measureColdStart(bench)));
  rows.sort((a, b) => a.n - b.n);

  const machine = await describeMachine(bench.databaseUrl, loadAtStart);
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  return [
    `## npm run bench — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    renderTable(rows),
    "",
    `${summary(rows)} Whole run, builds included: ${minutes} min.`,
    "",
    "Machine:",
    ...machine,
    "",
  ].join("\n");
}

main().then(
  async (report) => {
    await runAll();
    process.stdout.write(report);
  },
  async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await runAll();
    process.exitCode = 1;
  },
);
