/**
 * Everything the integration and browser tests talk to, started once per run in the test
 * runner's main process: a fresh Postgres database (migrated), the sandbox providers over HTTP
 * with fault injection, an SMTP sink, and the production build of the app wired to all three.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "@/lib/db/migrations";
import { startEmulator } from "@/lib/sandbox/emulator";
import { buildApp, freePort, startApp, TEST_DIST_DIR } from "./app-server";
import { createDatabase, dropDatabase } from "./database";
import { startSmtpSink } from "./smtp-sink";

export type StackInfo = {
  databaseUrl: string;
  secretKey: string;
  publishableKey: string;
  emulatorOrigin: string;
  sinkApiUrl: string;
  appOrigin: string;
  appEnv: Record<string, string>;
  operatorEmail: string;
  serviceTokens: string[];
  cronSecret: string;
  /** Everything the app process printed. */
  appLogFile: string;
};

export const randomHex = (bytes = 24) => randomBytes(bytes).toString("hex");

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * A production deployment's environment (live-mode providers, SMTP mail, operators, service
 * tokens, cron secret) whose providers are the sandbox emulator: what the tests' and the
 * benchmark's builds are made with.
 */
export function productionEnv(options: {
  secretKey: string;
  publishableKey: string;
  emulator: Emulator;
  emailServer: string;
  emailDomain: string;
  operatorEmail: string;
  serviceTokens: string[];
  dataDir: string;
}): Record<string, string> {
  const { secretKey, emulator } = options;
  return {
    CONDUCTOR_SECRET_KEY: secretKey,
    CONDUCTOR_BASE_URL: emulator.urls.conductor,
    CONDUCTOR_PUBLISHABLE_KEY: options.publishableKey,
    ALTUR_API_KEY: secretKey,
    ALTUR_BASE_URL: emulator.urls.altur,
    DIFY_API_KEY: secretKey,
    DIFY_BASE_URL: emulator.urls.dify,
    AUTH_SECRET: randomHex(32),
    EMAIL_SERVER: options.emailServer,
    EMAIL_FROM: `Conductor Onboarding <no-reply@${options.emailDomain}>`,
    ADMIN_EMAILS: options.operatorEmail,
    LOOKUP_API_TOKENS: options.serviceTokens.join(","),
    CRON_SECRET: `cron_${randomHex(16)}`,
    RECONCILE_INTERVAL_MINUTES: "0",
    // Tests play clients at many addresses through x-real-ip, as a proxy in front would set it.
    TRUST_PROXY_HEADERS: "1",
    DATA_DIR: options.dataDir,
  };
}

export async function startStack(): Promise<{ info: StackInfo; stop: () => Promise<void> }> {
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };
  try {
    const database = await createDatabase("run");
    stops.push(() => dropDatabase(database.name));
    await applyMigrations(database.url);

    // The key is also the canary: it must never appear in anything the browser receives.
    const secretKey = `sk_conductor_canary_${randomHex(12)}`;
    const publishableKey = `pk_conductor_test_${randomHex(8)}`;
    const emulator = await startEmulator({ apiKey: secretKey, publishableKey, port: 0, faults: true });
    stops.push(() => emulator.close());
    const sink = await startSmtpSink();
    stops.push(() => sink.close());
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "conductor-app-"));
    stops.push(() => rmSync(dataDir, { recursive: true, force: true }));

    const operatorEmail = "ops@example.test";
    const serviceTokens = [`svc_${randomHex()}`, `svc_${randomHex()}`];
    const env: Record<string, string> = {
      ...productionEnv({
        secretKey,
        publishableKey,
        emulator,
        emailServer: sink.smtpUrl,
        emailDomain: "example.test",
        operatorEmail,
        serviceTokens,
        dataDir,
      }),
      CONDUCTOR_TIMEOUT_MS: "1500",
      // Long enough for the sandbox's instant answers, short enough to test a health check that hangs.
      CONDUCTOR_HEALTH_CHECK_TIMEOUT_MS: "3000",
      CREATE_SETTLE_SECONDS: "3",
    };
    const buildMs = buildApp(env, { reuse: process.env.TEST_REUSE_BUILD === "1" });
    if (buildMs) console.log(`next build (${TEST_DIST_DIR}) in ${(buildMs / 1000).toFixed(1)} s`);
    const port = await freePort();
    const appEnv = {
      ...env,
      DATABASE_URL: database.url,
      AUTH_URL: `http://localhost:${port}`,
      LOOKUP_RATE_LIMIT_PER_MINUTE: "100000",
      // The suite signs in and onboards hundreds of users from one address within minutes.
      SIGNIN_RATE_LIMIT_PER_MINUTE: "100000",
      SIGNIN_ADDRESS_LIMIT_PER_HOUR: "100000",
      CREATE_RATE_LIMIT_PER_MINUTE: "100000",
      CONNECT_LINK_RATE_LIMIT_PER_HOUR: "100000",
      CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE: "100000",
      CONDUCTOR_READ_RATE_LIMIT_PER_MINUTE: "100000",
      // Tests read an end-user right after changing it in Conductor and expect Conductor to be asked.
      CONDUCTOR_READ_FRESH_SECONDS: "0",
    };
    const appLogFile = path.join(dataDir, "app.log");
    const app = await startApp(appEnv, { port, logFile: appLogFile });
    stops.push(() => app.stop());

    return {
      info: {
        databaseUrl: database.url,
        secretKey,
        publishableKey,
        emulatorOrigin: emulator.origin,
        sinkApiUrl: sink.apiUrl,
        appOrigin: app.origin,
        appEnv,
        operatorEmail,
        serviceTokens,
        cronSecret: env.CRON_SECRET!,
        appLogFile,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
