/**
 * `npx tsx tests/bench/audit-export.ts [events]`: how much memory GET /api/audit.csv takes to stream the
 * whole audit trail (default 100,000 events). Our production build runs on a fresh database
 * seeded with the events; the CSV is downloaded as an operator (read as it arrives, never kept)
 * while the server's resident memory (its whole process tree) is sampled every 20 ms. The same
 * export filtered down to a twelfth of the events is measured too. With the default heap, V8
 * lets garbage pile up before collecting it, so RSS grows with the work done; a second server
 * runs with its old space capped at 80 MB, where the growth shows what the export really keeps
 * (an export held in memory would grow it by the CSV's size, or crash it). Prints a markdown
 * table; everything is stopped and dropped.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "@/lib/db/migrations";
import { createDatabase, dropDatabase, query } from "@/tests/support/database";
import { freePort } from "@/tests/support/processes";
import { onCleanup, runToReport } from "./cleanup";
import { APP_DIST } from "./context";
import { treeRssMb } from "./measure/memory";
import { progress } from "./measure/progress";
import { signedInUsers } from "./seed";
import { buildOurApp, startNext } from "./stack";

const EVENTS = Number(process.argv[2] ?? 100_000);
const OPERATOR = "operator@bench.example";
/** Old space small enough that V8 collects as it goes, so RSS shows what is really kept. */
const CAPPED_HEAP_MB = 80;
const mb = (value: number) => `${value.toFixed(1)} MB`;

/** Downloads `path`, counting bytes and lines, sampling the server's memory until the last byte. */
function download(origin: string, path: string, cookie: string, pid: number) {
  return new Promise<{ status: number; bytes: number; lines: number; peakMb: number; seconds: number }>(
    (resolve, reject) => {
      let peakMb = treeRssMb(pid);
      const sampler = setInterval(() => (peakMb = Math.max(peakMb, treeRssMb(pid))), 20);
      const started = performance.now();
      http
        .get(`${origin}${path}`, { headers: { cookie }, agent: false }, (response) => {
          let bytes = 0;
          let lines = 0;
          response.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          });
          response.on("end", () => {
            clearInterval(sampler);
            peakMb = Math.max(peakMb, treeRssMb(pid));
            const seconds = (performance.now() - started) / 1000;
            resolve({ status: response.statusCode ?? 0, bytes, lines, peakMb, seconds });
          });
        })
        .on("error", (error) => (clearInterval(sampler), reject(error)));
    },
  );
}

async function main(): Promise<string> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "conductor-bench-"));
  onCleanup("remove the data folder", () => rmSync(dataDir, { recursive: true, force: true }));
  const productionEnv = {
    // The sandbox Conductor inside the app: this measurement never calls it.
    AUTH_SECRET: randomBytes(32).toString("hex"),
    EMAIL_SERVER: "smtp://127.0.0.1:2525", // no mail is sent: the session is written directly
    EMAIL_FROM: "Conductor Onboarding <no-reply@bench.example>",
    ADMIN_EMAILS: OPERATOR,
    RECONCILE_INTERVAL_MINUTES: "0",
    DATA_DIR: dataDir,
    NEXT_DIST_DIR: APP_DIST,
  };
  buildOurApp(productionEnv);

  const { name, url } = await createDatabase("bench_audit");
  onCleanup(`drop database ${name}`, () => dropDatabase(name));
  await applyMigrations(url);
  progress(`seeding ${EVENTS.toLocaleString("en")} audit events`);
  await query(
    url,
    `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId", "endUserId", "conductorRequestId", "data")
     SELECT gen_random_uuid()::text, timestamp '2025-01-01' + i * interval '1 second',
            (enum_range(NULL::"AuditAction"))[1 + i % 12], 'person' || (i % 50) || '@bench.example',
            'bench-src-' || (i % 5000), 'end_usr_bench' || lpad((i % 5000)::text, 5, '0'), 'req_bench' || i,
            jsonb_build_object('note', 'event ' || i || ', "quoted", with a comma', 'n', i)
     FROM generate_series(1, $1::int) AS i`,
    [EVENTS],
  );
  await query(url, `VACUUM ANALYZE "AuditEvent"`);
  const [operator] = await signedInUsers(url, "operator", [OPERATOR]);
  const rows: string[] = [];
  for (const heap of [null, CAPPED_HEAP_MB]) {
    const port = await freePort();
    const env = {
      ...productionEnv,
      DATABASE_URL: url,
      AUTH_URL: `http://127.0.0.1:${port}`,
      ...(heap ? { NODE_OPTIONS: `--max-old-space-size=${heap}` } : {}),
    };
    const app = await startNext({ label: "our app", env, readyPath: "/api/health", port });
    const tenth = "action=END_USER_CREATED"; // one action in twelve
    // Warm up every module and query the exports use, then settle.
    for (const warm of [`/api/audit.csv?${tenth}&since=2025-01-01&until=2025-01-01`, "/api/audit?limit=100"])
      await download(app.origin, warm, operator!.cookie, app.pid);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const [label, path] of [
      ["a twelfth (one action)", `/api/audit.csv?${tenth}`],
      ["all of them", "/api/audit.csv"],
    ] as const) {
      const before = treeRssMb(app.pid);
      progress(`exporting ${label}, ${heap ? `old space capped at ${heap} MB` : "default heap"}`);
      const result = await download(app.origin, path, operator!.cookie, app.pid);
      if (result.status !== 200) throw new Error(`${path} answered ${result.status}`);
      rows.push(
        `| ${heap ? `capped: --max-old-space-size=${heap}` : "default"} | ${label} | ${(result.lines - 1).toLocaleString("en")} | ${mb(result.bytes / 1024 / 1024)} | ${result.seconds.toFixed(1)} s | ${mb(before)} | ${mb(result.peakMb)} | **${mb(result.peakMb - before)}** |`,
      );
    }
    await app.stop();
  }
  return [
    `## GET /api/audit.csv of ${EVENTS.toLocaleString("en")} audit events — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    "| server heap | export | rows | CSV size | time | server RSS before | peak RSS during | peak growth |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

runToReport(main());
