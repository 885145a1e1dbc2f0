/**
 * Row 6: the operator's "Refresh from Conductor" (refreshAction over HTTP, as the button sends it)
 * with 10,000 end-users upstream: into an empty cache, then again with nothing changed. Rows
 * written are counted exactly: cache rows whose xmin changed, appeared or disappeared.
 */
import { actionId, encodedActionCall, findFormState } from "@/tests/support/actions";
import type { Row } from "../report";
import { APP_DIST, type Bench, RUNS } from "../context";
import { Connection } from "../measure/connection";
import { progress } from "../measure/progress";
import { median, seconds } from "../measure/stats";
import { query } from "@/tests/support/database";

const UPSTREAM = 10_000;
const TARGET_MS = 10_000;

/** Fills the sandbox Conductor up to 10,000 end-users (it already holds those created in row 4). */
async function topUpUpstream(bench: Bench): Promise<void> {
  const headers = { authorization: `Bearer ${bench.conductor.secretKey}`, "content-type": "application/json" };
  const listed = (await (await fetch(`${bench.conductor.baseUrl}/end-users`, { headers })).json()) as {
    data: unknown[];
  };
  let next = listed.data.length;
  const worker = async () => {
    for (let i = next++; i < UPSTREAM; i = next++) {
      const body = JSON.stringify({
        companyName: `Upstream ${i}`,
        sourceId: `bench-upstream-${i}`,
        email: `upstream${i}@bench.example`,
      });
      const response = await fetch(`${bench.conductor.baseUrl}/end-users`, { method: "POST", headers, body });
      if (!response.ok) throw new Error(`seeding the sandbox Conductor: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Row versions (xmin) of every cache row. */
async function versions(url: string): Promise<Map<string, string>> {
  const rows = await query<{ key: string; xmin: string }>(
    url,
    `SELECT 'e:' || "id" AS key, xmin::text FROM "ConductorEndUser" UNION ALL SELECT 'c:' || "id", xmin::text FROM "IntegrationConnection"`,
  );
  return new Map(rows.map((row) => [row.key, row.xmin]));
}

function written(before: Map<string, string>, after: Map<string, string>): number {
  let count = [...before.keys()].filter((key) => !after.has(key)).length;
  for (const [key, xmin] of after) if (before.get(key) !== xmin) count++;
  return count;
}

export async function measureRefresh(bench: Bench): Promise<Row[]> {
  progress(`row 6: filling the sandbox Conductor to ${UPSTREAM.toLocaleString("en-US")} end-users`);
  await topUpUpstream(bench);
  const connection = new Connection(bench.app.origin);
  const id = actionId("app/end-users/actions.ts", "refreshAction", APP_DIST);
  const refresh = async () => {
    const request = await encodedActionCall(id, bench.app.origin, {});
    request.headers = { ...request.headers, cookie: bench.operator.cookie };
    const reply = await connection.request("/end-users", request);
    const state = findFormState(reply.body);
    if (state?.status !== "success")
      throw new Error(`refresh failed (${reply.status}): ${state?.message ?? reply.body.slice(0, 300)}`);
    return { ms: reply.ms, message: state.message ?? "" };
  };
  const runs: { emptyMs: number; unchangedMs: number; writes: number; messages: string[] }[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      progress(`row 6: run ${run} of ${RUNS}`);
      await query(bench.databaseUrl, `TRUNCATE "ConductorEndUser" CASCADE`);
      const first = await refresh();
      const before = await versions(bench.databaseUrl);
      const second = await refresh();
      runs.push({
        emptyMs: first.ms,
        unchangedMs: second.ms,
        writes: written(before, await versions(bench.databaseUrl)),
        messages: [first.message, second.message],
      });
    }
  } finally {
    connection.close();
  }
  const emptyMs = median(runs.map((r) => r.emptyMs));
  const unchangedMs = median(runs.map((r) => r.unchangedMs));
  const writes = Math.max(...runs.map((r) => r.writes));
  const [firstMessage, secondMessage] = runs.at(-1)!.messages;
  return [
    {
      n: 6,
      what: `Refresh from Conductor, ${UPSTREAM.toLocaleString("en-US")} upstream → empty cache (refreshAction over HTTP)`,
      result: `${seconds(emptyMs)}`,
      compared: `app's report: “${firstMessage}”`,
      target: `< ${seconds(TARGET_MS)}`,
      met: emptyMs < TARGET_MS,
    },
    {
      n: 6,
      what: "… again with nothing changed",
      result: `${seconds(unchangedMs)}; ${writes} cache rows written (end-users + connections, highest of ${RUNS} runs)`,
      compared: `app's report: “${secondMessage}”`,
      target: "writes nothing",
      met: writes === 0,
    },
  ];
}
