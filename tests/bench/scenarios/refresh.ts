/**
 * Rows 6 and 9: the operator's "Refresh from Conductor" (refreshAction over HTTP, as the button
 * sends it) with 10,000, then 100,000 end-users upstream (Conductor answers the whole list at
 * once: it has no paging): into an empty cache, then again with nothing changed, and the app's
 * peak resident memory meanwhile. Rows written are counted exactly: cache rows whose xmin
 * changed, appeared or disappeared. Before each empty-cache refresh, Postgres alone inserts the
 * same rows (measure/insert-floor.ts): the floor under that refresh.
 */
import { actionId, encodedActionCall, findFormState } from "@/tests/support/actions";
import type { Row } from "../report";
import { APP_DIST, type Bench, RUNS } from "../context";
import { Connection } from "../measure/connection";
import { progress } from "../measure/progress";
import { loadAverage } from "../measure/machine";
import { insertFloorMs } from "../measure/insert-floor";
import { resetPeakRss, treePeakRssMb, treeRssMb } from "../measure/memory";
import { median, seconds } from "../measure/stats";
import type { SignedIn } from "../seed";
import type { ServerProcess } from "@/tests/support/processes";
import { query } from "@/tests/support/database";

const TARGET_MS = 10_000;
const TARGET_PEAK_MB = 1024;

/**
 * Fills the sandbox Conductor's store up to `total` end-users (it already holds those created in
 * row 4), three in four with a QuickBooks Desktop connection, as the seeded cache has them.
 */
function topUpUpstream(bench: Bench, total: number): void {
  const store = bench.conductorStore;
  for (let i = store.list().length; i < total; i++) {
    const createdAt = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
    const id = `end_usr_up${String(i).padStart(6, "0")}`;
    const used = i % 4 === 0 || i % 4 === 3 ? "2025-05-01T00:00:00.000Z" : null;
    store.put({
      id,
      objectType: "end_user",
      createdAt,
      companyName: `Upstream ${i}`,
      sourceId: `bench-upstream-${i}`,
      email: `upstream${i}@bench.example`,
      integrationConnections:
        i % 4 === 1
          ? []
          : [
              {
                id: `int_conn_up${String(i).padStart(6, "0")}`,
                objectType: "integration_connection",
                createdAt,
                integrationSlug: "quickbooks_desktop",
                lastRequestAt: used,
                lastSuccessfulRequestAt: used,
              },
            ],
    });
  }
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

type Target = { app: ServerProcess; databaseUrl: string; operator: SignedIn };

/** Row `n`: refreshes of `upstream` end-users on `target` (an app and its database). */
export async function measureRefresh(bench: Bench, n: number, upstream: number, target: Target): Promise<Row[]> {
  const label = upstream.toLocaleString("en-US");
  progress(`row ${n}: filling the sandbox Conductor to ${label} end-users`);
  topUpUpstream(bench, upstream);
  const connection = new Connection(target.app.origin);
  const id = actionId("app/end-users/actions.ts", "refreshAction", APP_DIST);
  const refresh = async () => {
    const request = await encodedActionCall(id, target.app.origin, {}, target.operator.cookie);
    resetPeakRss(target.app.pid);
    const rssBefore = treeRssMb(target.app.pid);
    const reply = await connection.request("/end-users", request);
    const peakMb = treePeakRssMb(target.app.pid);
    const state = findFormState(reply.body);
    if (state?.status !== "success")
      throw new Error(`refresh failed (${reply.status}): ${state?.message ?? reply.body.slice(0, 300)}`);
    return { ms: reply.ms, message: state.message ?? "", peakMb, rssBefore };
  };
  type Run = {
    floorMs: number;
    empty: Awaited<ReturnType<typeof refresh>>;
    unchanged: Awaited<ReturnType<typeof refresh>>;
    writes: number;
  };
  const runs: Run[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      progress(`row ${n}: run ${run} of ${RUNS} (load ${loadAverage()})`);
      const truncate = `TRUNCATE "ConductorEndUser" CASCADE`;
      await query(target.databaseUrl, truncate);
      const floorMs = await insertFloorMs(target.databaseUrl, bench.conductorStore.list());
      await query(target.databaseUrl, truncate);
      const empty = await refresh();
      const before = await versions(target.databaseUrl);
      const unchanged = await refresh();
      runs.push({ floorMs, empty, unchanged, writes: written(before, await versions(target.databaseUrl)) });
    }
  } finally {
    connection.close();
  }
  const emptyMs = median(runs.map((r) => r.empty.ms));
  const floorMs = median(runs.map((r) => r.floorMs));
  const unchangedMs = median(runs.map((r) => r.unchanged.ms));
  const peakMb = Math.max(...runs.flatMap((r) => [r.empty.peakMb, r.unchanged.peakMb]));
  const idleMb = Math.min(...runs.flatMap((r) => [r.empty.rssBefore, r.unchanged.rssBefore]));
  const memory = `app's peak RSS ${peakMb.toFixed(0)} MB (highest of ${RUNS * 2} refreshes; ${idleMb.toFixed(0)} MB before)`;
  const writes = Math.max(...runs.map((r) => r.writes));
  const last = runs.at(-1)!;
  return [
    {
      n,
      what: `Refresh from Conductor, ${label} upstream → empty cache (refreshAction over HTTP)`,
      result: `${seconds(emptyMs)} (runs: ${runs.map((r) => seconds(r.empty.ms)).join(", ")})`,
      compared: `app's report: “${last.empty.message}”`,
      target: `< ${seconds(TARGET_MS)}`,
      met: emptyMs < TARGET_MS,
    },
    {
      n,
      what: "… Postgres alone: the same rows inserted into the empty cache, one transaction (every index and trigger)",
      result: `${seconds(floorMs)} (runs: ${runs.map((r) => seconds(r.floorMs)).join(", ")})`,
      compared: `the app's refresh takes ${seconds(emptyMs - floorMs)} more (Conductor's list, validation, comparison, upserts)`,
    },
    {
      n,
      what: "… again with nothing changed",
      result: `${seconds(unchangedMs)}; ${writes} cache rows written (end-users + connections, highest of ${RUNS} runs)`,
      compared: `app's report: “${last.unchanged.message}”`,
      target: `< ${seconds(TARGET_MS)}, writes nothing`,
      met: unchangedMs < TARGET_MS && writes === 0,
    },
    {
      n,
      what: `… the app's memory during these ${label}-row refreshes`,
      result: memory,
      target: `peak < ${TARGET_PEAK_MB} MB`,
      met: peakMb < TARGET_PEAK_MB,
    },
  ];
}
