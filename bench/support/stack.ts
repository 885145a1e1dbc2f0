/**
 * Starts what the bench measures: two fresh Postgres databases (10,000 and 10 cached end-users),
 * the sandbox providers over HTTP, the production builds, our app on each database, and the bare
 * baseline server. Everything registers its own cleanup.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "@/lib/db/migrations";
import { startEmulator } from "@/lib/sandbox/emulator";
import { freePort } from "@/tests/support/app-server";
import { createDatabase, dropDatabase } from "@/tests/support/database";
import { APP_DIST, buildApps } from "./build";
import { onCleanup } from "./cleanup";
import type { Bench } from "./context";
import { progress } from "./progress";
import { seedCachedEndUsers, signedInUsers } from "./seed";
import { startBaseline, startNext } from "./servers";

const random = (bytes: number) => randomBytes(bytes).toString("hex");
const OPERATOR_EMAIL = "operator@bench.example";

async function database(label: string, parts: ("zebras" | "others")[]) {
  const { name, url } = await createDatabase(label);
  onCleanup(`drop database ${name}`, () => dropDatabase(name));
  await applyMigrations(url);
  for (const part of parts) await seedCachedEndUsers(url, part);
  const [operator] = await signedInUsers(url, "operator", [OPERATOR_EMAIL]);
  return { url, operator: operator! };
}

/** Our app on `databaseUrl`, with the environment it was built with. */
async function app(label: string, productionEnv: Record<string, string>, databaseUrl: string) {
  const port = await freePort();
  const env = {
    ...productionEnv,
    DATABASE_URL: databaseUrl,
    AUTH_URL: `http://127.0.0.1:${port}`,
    // The limiter counts every request in Postgres but never refuses one.
    LOOKUP_RATE_LIMIT_PER_MINUTE: "1000000000",
    CREATE_RATE_LIMIT_PER_MINUTE: "1000000000",
    // Lets a slow 10,000-row refresh be measured rather than cut off.
    CONDUCTOR_TIMEOUT_MS: "60000",
  };
  return { server: await startNext({ label, env, readyPath: "/api/health", port }), env };
}

export async function startStack(): Promise<Bench> {
  const secretKey = `sk_conductor_bench_${random(12)}`;
  const publishableKey = "pk_conductor_bench";
  const sandbox = await startEmulator({ apiKey: secretKey, publishableKey, port: 0, faults: false });
  onCleanup("stop the sandbox providers", () => sandbox.close());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "conductor-bench-"));
  onCleanup("remove the data folder", () => rmSync(dataDir, { recursive: true, force: true }));
  const serviceToken = `svc_${random(24)}`;
  // Production-shaped, as tests/support/stack.ts: live-mode providers pointed at the sandbox.
  const productionEnv = {
    CONDUCTOR_SECRET_KEY: secretKey,
    CONDUCTOR_BASE_URL: sandbox.urls.conductor,
    CONDUCTOR_PUBLISHABLE_KEY: publishableKey,
    ALTUR_API_KEY: secretKey,
    ALTUR_BASE_URL: sandbox.urls.altur,
    DIFY_API_KEY: secretKey,
    DIFY_BASE_URL: sandbox.urls.dify,
    AUTH_SECRET: random(32),
    EMAIL_SERVER: "smtp://127.0.0.1:2525", // no mail is sent: sessions are written directly
    EMAIL_FROM: "Conductor Onboarding <no-reply@bench.example>",
    ADMIN_EMAILS: OPERATOR_EMAIL,
    LOOKUP_API_TOKENS: serviceToken,
    CRON_SECRET: `cron_${random(16)}`,
    RECONCILE_INTERVAL_MINUTES: "0",
    DATA_DIR: dataDir,
    NEXT_DIST_DIR: APP_DIST,
  };
  buildApps(productionEnv);

  progress("creating and seeding the databases (10,000 and 10 cached end-users)");
  const large = await database("bench", ["zebras", "others"]);
  const small = await database("bench_10", ["zebras"]);
  progress("starting our app (twice: one per database) and the baseline server");
  const main = await app("our app", productionEnv, large.url);
  const tenRows = await app("our app (10 rows)", productionEnv, small.url);
  const baseline = await startBaseline({ DATABASE_URL: large.url, LOOKUP_API_TOKEN: serviceToken });
  return {
    databaseUrl: large.url,
    conductor: { baseUrl: sandbox.urls.conductor, secretKey, publishableKey },
    appEnv: main.env,
    app: main.server,
    baseline,
    serviceToken,
    operator: large.operator,
    tenRows: { app: tenRows.server, databaseUrl: small.url, operator: small.operator },
  };
}
