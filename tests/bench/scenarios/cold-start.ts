/**
 * Row 7b: cold start — from spawning `next start` to the first 200 on `/` — of our app (with
 * its database and providers configured) and of the empty Next app, alternately, nothing else
 * running: each pair waits for Postgres's autovacuum, busy after the refreshes before it, and for
 * the cores to be quiet (under 15 % busy over half a second).
 */
import type { Row } from "../report";
import { EMPTY_APP, type Bench } from "../context";
import { untilAutovacuumIdle, untilQuiet } from "../measure/machine";
import { progress } from "../measure/progress";
import { startNext } from "../stack";
import { median, ms, ratio } from "../measure/stats";

const TARGET_RATIO = 1.5;
/** More than the other rows' runs: one start is a single sample, not a percentile of hundreds. */
const STARTS = 5;

export async function measureColdStart(bench: Bench): Promise<Row[]> {
  const ours: number[] = [];
  const empty: number[] = [];
  for (let run = 1; run <= STARTS; run++) {
    const waited = await untilAutovacuumIdle(bench.databaseUrl);
    const quiet = await untilQuiet();
    progress(
      `row 7: cold start ${run} of ${STARTS} (waited ${ms(waited, 0)} for autovacuum, ${ms(quiet, 0)} for quiet cores)`,
    );
    const app = await startNext({ label: "our app (cold start)", env: bench.appEnv, readyPath: "/" });
    await app.stop();
    ours.push(app.readyMs);
    const minimal = await startNext({ label: "empty Next app (cold start)", env: {}, readyPath: "/", app: EMPTY_APP });
    await minimal.stop();
    empty.push(minimal.readyMs);
  }
  const factor = median(ours) / median(empty);
  return [
    {
      n: 7,
      what: "Cold start: spawn of `next start` → first 200 on /",
      result: `${ms(median(ours), 0)} (runs: ${ours.map((v) => v.toFixed(0)).join(", ")} ms)`,
      compared: `empty Next app: ${ms(median(empty), 0)} → ${ratio(factor)}`,
      target: `≤ ${ratio(TARGET_RATIO)} the empty app's`,
      met: factor <= TARGET_RATIO,
    },
  ];
}
