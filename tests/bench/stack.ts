/**
 * Starts what the bench measures: three fresh Postgres databases (10,000, 10 and 100,000 cached
 * end-users), the sandbox providers over HTTP, the production builds, our app on each database,
 * the bare baseline server and the floor app. Everything registers its own cleanup. Builds,
 * databases and processes come from tests/support, as the tests' own do.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "@/lib/db/migrations";
import { startEmulator } from "@/lib/sandbox/emulator";
import { buildApp, startApp } from "@/tests/support/app-server";
import { createDatabase, dropDatabase } from "@/tests/support/database";
import { baseEnv, freePort, startServer } from "@/tests/support/processes";
import { productionEnv, randomHex } from "@/tests/support/stack";
import { onCleanup } from "./cleanup";
import { APP_DIST, EMPTY_APP, FLOOR_APP, type Bench, type BenchApp } from "./context";
import { progress } from "./measure/progress";
import { watchExchanges } from "./measure/upstream-exchanges";
import { seedCachedEndUsers, signedInUsers } from "./seed";

const OPERATOR_EMAIL = "operator@bench.example";

/** `next start` of our build (or of one of the bench's own apps) on 127.0.0.1, stopped at cleanup; polled every 10 ms so readyMs is a cold start. */
export async function startNext(options: {
  label: string;
  env: Record<string, string>;
  readyPath: string;
  app?: BenchApp;
  port?: number;
  nodeArgs?: string[];
}) {
  const server = await startApp(options.env, {
    label: options.label,
    port: options.port,
    dir: options.app?.dir,
    distDir: options.app?.distDir ?? APP_DIST,
    readyPath: options.readyPath,
    host: "127.0.0.1",
    timeoutMs: 90_000,
    pollMs: 10,
    nodeArgs: options.nodeArgs,
  });
  onCleanup(`stop ${options.label}`, server.stop);
  return server;
}

/** The bare node:http + pg server of baseline-server.ts. */
async function startBaseline(env: Record<string, string>) {
  const port = await freePort();
  const server = await startServer({
    label: "baseline server",
    command: process.execPath,
    args: ["--import", "tsx", path.join("tests", "bench", "baseline-server.ts")],
    env: { ...baseEnv(), ...env, PORT: String(port), NODE_ENV: "production" },
    port,
    readyPath: "/ready",
    host: "127.0.0.1",
    timeoutMs: 90_000,
    pollMs: 10,
  });
  onCleanup("stop the baseline server", server.stop);
  return server;
}

const reuse = process.env.BENCH_REUSE_BUILD === "1";
/** A folder for a CPU profile of our app (the instance on 10,000 rows), written when it stops. */
const profileDir = process.env.BENCH_CPU_PROFILE_DIR;

/** Builds our app with the environment it will run with, unless BENCH_REUSE_BUILD=1 and the build exists. */
export function buildOurApp(appEnv: Record<string, string>): void {
  const ms = buildApp(appEnv, { distDir: APP_DIST, reuse, readableNames: Boolean(profileDir) });
  if (ms) progress(`built our app (${APP_DIST}) in ${(ms / 1000).toFixed(1)} s`);
}

/** Builds ours, the empty app and the floor app, each unless BENCH_REUSE_BUILD=1 and it exists. */
function buildApps(appEnv: Record<string, string>): void {
  buildOurApp(appEnv);
  for (const [name, app] of [
    ["empty", EMPTY_APP],
    ["floor", FLOOR_APP],
  ] as const) {
    const took = buildApp({}, { ...app, reuse });
    if (took) progress(`built the ${name} Next app (${app.distDir}) in ${(took / 1000).toFixed(1)} s`);
  }
}

async function database(label: string, parts: ("zebras" | "others")[], total?: number) {
  const { name, url } = await createDatabase(label);
  onCleanup(`drop database ${name}`, () => dropDatabase(name));
  await applyMigrations(url);
  for (const part of parts) await seedCachedEndUsers(url, part, total);
  const [operator] = await signedInUsers(url, "operator", [OPERATOR_EMAIL]);
  return { url, operator: operator! };
}

/** What our app runs with in the bench: the environment it was built with, on `databaseUrl` and `port`. */
export function benchAppEnv(env: Record<string, string>, databaseUrl: string, port: number): Record<string, string> {
  return {
    ...env,
    DATABASE_URL: databaseUrl,
    AUTH_URL: `http://127.0.0.1:${port}`,
    // The limiter counts every request in Postgres but never refuses one.
    LOOKUP_RATE_LIMIT_PER_MINUTE: "1000000000",
    CREATE_RATE_LIMIT_PER_MINUTE: "1000000000",
    // Lets a slow 10,000-row refresh be measured rather than cut off.
    CONDUCTOR_TIMEOUT_MS: "60000",
  };
}

/** Our app on `databaseUrl`, with the environment it was built with. */
async function app(label: string, env: Record<string, string>, databaseUrl: string, nodeArgs?: string[]) {
  const port = await freePort();
  const appEnv = benchAppEnv(env, databaseUrl, port);
  return { server: await startNext({ label, env: appEnv, readyPath: "/api/health", port, nodeArgs }), env: appEnv };
}

/**
 * The sandbox providers over HTTP (in this process) and the production-shaped environment our app
 * runs with against them, both undone at cleanup. `label` names the keys and the data folder.
 */
export async function startSandbox(label: string) {
  const secretKey = `sk_conductor_${label}_${randomHex(12)}`;
  const publishableKey = `pk_conductor_${label}`;
  const sandbox = await startEmulator({ apiKey: secretKey, publishableKey, port: 0, faults: false });
  onCleanup("stop the sandbox providers", () => sandbox.close());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `conductor-${label}-`));
  onCleanup("remove the data folder", () => rmSync(dataDir, { recursive: true, force: true }));
  const serviceToken = `svc_${randomHex(24)}`;
  const env = productionEnv({
    secretKey,
    publishableKey,
    emulator: sandbox,
    emailServer: "smtp://127.0.0.1:2525", // no mail is sent: sessions are written directly
    emailDomain: "bench.example",
    operatorEmail: OPERATOR_EMAIL,
    serviceTokens: [serviceToken],
    dataDir,
  });
  return { sandbox, env, secretKey, publishableKey, serviceToken };
}

export async function startStack(): Promise<Bench> {
  const { sandbox, env, secretKey, publishableKey, serviceToken } = await startSandbox("bench");
  buildApps(env);

  progress("creating and seeding the databases (10,000, 10 and 100,000 cached end-users)");
  const large = await database("bench", ["zebras", "others"]);
  const small = await database("bench_10", ["zebras"]);
  const huge = await database("bench_100k", ["zebras", "others"], 100_000);
  progress("starting our app (three times: one per database), the baseline server and the floor app");
  const profiled = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`] : undefined;
  const main = await app("our app", env, large.url, profiled);
  const tenRows = await app("our app (10 rows)", env, small.url);
  // BENCH_HEAP_MB caps this instance's old space, as a function's memory size caps it on Vercel.
  const heap: Record<string, string> = process.env.BENCH_HEAP_MB
    ? { NODE_OPTIONS: `--max-old-space-size=${process.env.BENCH_HEAP_MB}` }
    : {};
  const hundredThousand = await app("our app (100,000 rows)", { ...env, ...heap }, huge.url);
  const baseline = await startBaseline({ DATABASE_URL: large.url, LOOKUP_API_TOKEN: serviceToken });
  const floor = await startNext({ label: "the floor app", env: {}, readyPath: "/", app: FLOOR_APP });
  return {
    databaseUrl: large.url,
    conductor: { baseUrl: sandbox.urls.conductor, secretKey, publishableKey },
    appEnv: main.env,
    app: main.server,
    baseline,
    floor,
    serviceToken,
    operator: large.operator,
    tenRows: { app: tenRows.server, databaseUrl: small.url, operator: small.operator },
    hundredThousand: { app: hundredThousand.server, databaseUrl: huge.url, operator: huge.operator },
    conductorStore: sandbox.conductorStore,
    sandboxExchanges: watchExchanges(sandbox.httpServer),
  };
}
