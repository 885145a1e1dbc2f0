/**
 * Rows 1–3: the bare node:http + pg lookup, the empty route handler, and the lookup route with
 * its service token and Postgres rate limiting — under 10 connections for 5 s (req/s, p50, p99,
 * server CPU per request), then on one connection for 1,000 requests (p50, p99 in µs).
 */
import type { Row } from "../report";
import { type Bench, RUNS } from "../context";
import { backendCpuMs, backendDeltaMs, treeCpuMs } from "../measure/cpu";
import { Connection, sequential } from "../measure/connection";
import { startWindow } from "../measure/interference";
import { load } from "../measure/load";
import { progress } from "../measure/progress";
import { int, medianOf, percentile, ratio, us } from "../measure/stats";

const CONNECTIONS = 10;
const SECONDS = 5;
const WARM_UP_SECONDS = 2;
const SINGLE_REQUESTS = 1_000;
const TARGET_RPS_RATIO = 0.8;
const TARGET_P99_RATIO = 1.5;

type Target = { origin: string; pid: number; path: () => string; headers: Record<string, string> };
type Measured = { rps: number; p50: number; p99: number; cpuUs: number; pgUs: number; p50One: number; p99One: number };

function cycle(make: (i: number) => string): () => string {
  let i = 0;
  return () => make((i++ % 10_000) + 1);
}

async function underLoad(bench: Bench, target: Target, seconds: number) {
  const [cpuBefore, pgBefore] = [treeCpuMs(target.pid), await backendCpuMs(bench.databaseUrl)];
  const endWindow = startWindow();
  const result = await load({
    origin: target.origin,
    path: target.path,
    headers: target.headers,
    seconds,
    connections: CONNECTIONS,
  });
  const serverMs = treeCpuMs(target.pid) - cpuBefore;
  const postgresMs = backendDeltaMs(pgBefore, await backendCpuMs(bench.databaseUrl));
  endWindow(serverMs, postgresMs);
  return {
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    cpuUs: (serverMs * 1000) / result.requests,
    pgUs: (postgresMs * 1000) / result.requests,
  };
}

async function oneConnection(target: Target) {
  const connection = new Connection(target.origin, target.headers);
  try {
    const latencies = await sequential(
      SINGLE_REQUESTS,
      () => connection.request(target.path()),
      (reply) => reply.status === 200,
    );
    return { p50One: percentile(latencies, 50), p99One: percentile(latencies, 99) };
  } finally {
    connection.close();
  }
}

const describe = (m: Measured) =>
  `${int(m.rps)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms (${CONNECTIONS} conn.); ` +
  `1 conn.: p50 ${us(m.p50One)}, p99 ${us(m.p99One)}; server CPU ${int(m.cpuUs)} µs/req (+ Postgres ${int(m.pgUs)} µs/req)`;

export async function measureLookup(bench: Bench): Promise<Row[]> {
  const auth = { authorization: `Bearer ${bench.serviceToken}` };
  const lookupPath = cycle((i) => `/api/end-users/lookup?sourceId=bench-src-${i}`);
  const targets: Target[] = [
    { origin: bench.baseline.origin, pid: bench.baseline.pid, path: lookupPath, headers: auth },
    { origin: bench.app.origin, pid: bench.app.pid, path: () => "/api/health/live", headers: {} },
    { origin: bench.app.origin, pid: bench.app.pid, path: lookupPath, headers: auth },
  ];
  for (const { origin, path, headers } of targets)
    await load({ origin, path, headers, seconds: WARM_UP_SECONDS, connections: CONNECTIONS });

  const loadRuns = targets.map(() => [] as Awaited<ReturnType<typeof underLoad>>[]);
  const singleRuns = targets.map(() => [] as Awaited<ReturnType<typeof oneConnection>>[]);
  for (let run = 1; run <= RUNS; run++) {
    progress(
      `rows 1–3: run ${run} of ${RUNS} (${CONNECTIONS} connections × ${SECONDS} s each, then 1 connection × ${SINGLE_REQUESTS})`,
    );
    for (const [i, target] of targets.entries()) loadRuns[i]!.push(await underLoad(bench, target, SECONDS));
    for (const [i, target] of targets.entries()) singleRuns[i]!.push(await oneConnection(target));
  }
  const [baseline, empty, lookup] = targets.map((_, i) => ({
    ...medianOf(loadRuns[i]!),
    ...medianOf(singleRuns[i]!),
  })) as [Measured, Measured, Measured];
  const rpsRatio = lookup.rps / empty.rps;
  const p99Ratio = lookup.p99 / empty.p99;
  return [
    {
      n: 1,
      what: "Baseline: bare node:http + pg lookup by sourceId (tests/bench/baseline-server.ts)",
      result: describe(baseline),
    },
    { n: 2, what: "Empty Next.js route handler GET /api/health/live (framework floor)", result: describe(empty) },
    {
      n: 3,
      what: "GET /api/end-users/lookup?sourceId= (service token, rate limiting on): req/s",
      result: describe(lookup),
      compared: `${ratio(lookup.rps / baseline.rps)} row 1's req/s; ${ratio(rpsRatio)} row 2's req/s; 1 conn. p50 +${us(lookup.p50One - empty.p50One)} over row 2`,
      target: `≥ ${ratio(TARGET_RPS_RATIO)} row 2's req/s`,
      met: rpsRatio >= TARGET_RPS_RATIO,
    },
    {
      n: 3,
      what: "… its p99 under load",
      result: `p99 ${lookup.p99.toFixed(2)} ms`,
      compared: `${ratio(p99Ratio)} row 2's p99 (${empty.p99.toFixed(2)} ms)`,
      target: `≤ ${ratio(TARGET_P99_RATIO)} row 2's p99`,
      met: p99Ratio <= TARGET_P99_RATIO,
    },
  ];
}
