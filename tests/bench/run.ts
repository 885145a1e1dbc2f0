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
import { runToReport } from "./cleanup";
import { describeMachine, loadAverage } from "./measure/machine";
import { startStack } from "./stack";

/** BENCH_ONLY=cold-start,refresh-100k (say) measures only those scenarios; the stack is the same. */
const only = (process.env.BENCH_ONLY ?? "").split(",").filter(Boolean);
const wanted = (scenario: string) => only.length === 0 || only.includes(scenario);

async function main(): Promise<string> {
  const started = performance.now();
  const loadAtStart = loadAverage();
  const bench = await startStack();

  const rows: Row[] = [];
  if (wanted("list")) rows.push(...(await measureList(bench)));
  await bench.tenRows.app.stop();
  if (wanted("lookup")) rows.push(...(await measureLookup(bench)));
  if (wanted("creation")) rows.push(...(await measureCreation(bench)));
  if (wanted("auth-sessions")) rows.push(...(await measureAuthSessions(bench)));
  if (wanted("refresh")) rows.push(...(await measureRefresh(bench, 6, 10_000, { ...bench, app: bench.app })));
  await Promise.all([bench.app.stop(), bench.baseline.stop()]);
  if (wanted("refresh-100k")) rows.push(...(await measureRefresh(bench, 9, 100_000, bench.hundredThousand)));
  await bench.hundredThousand.app.stop();
  if (wanted("bundles")) rows.push(...measureBundles());
  if (wanted("cold-start")) rows.push(...(await measureColdStart(bench)));
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

runToReport(main());
