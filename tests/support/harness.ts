/**
 * The one object integration and browser tests take what they need from, instead of building it
 * themselves: the running stack (origins, secrets, operator, tokens), HTTP clients and sign-in,
 * server actions, SQL and claim state, the sandbox providers (faults, call log, a conductor-node
 * client), the mail sink, the reconcile job, extra app processes stopped when the test ends, and
 * parts a fault test owns (its own Postgres, Redis, a closable SMTP relay).
 */
import { onTestFinished } from "vitest";
import type { Health } from "@/lib/use-cases/health";
import type { ReconcileReport } from "@/lib/use-cases/reconcile/reconcile";
import {
  actionId,
  actionText,
  allActions,
  callAction,
  formState,
  idleState,
  onboard,
  refresh,
  signOutFromPage,
} from "./actions";
import { startApp, startAppExpectingFailure, type AppProcess } from "./app-server";
import { createDatabase, dropDatabase, query } from "./database";
import { cachedCount, claimFor, count, rowCounts, seedCachedEndUsers, sql, userIdFor } from "./db";
import { conductor, emulator, upstreamEndUsers } from "./emulator";
import {
  followSignInLink,
  HttpClient,
  onboardedCustomer,
  postSignInForm,
  requestSignInLink,
  signedInCustomer,
  signedInOperator,
  signIn,
  uniqueClientIp,
  uniqueEmail,
} from "./http";
import { fuzzKit } from "./fuzz";
import { documentedFetch } from "./openapi-contract";
import { ownPostgres, ownRedis, smtpRelay } from "./owned-parts";
import { startPgBouncer } from "./pgbouncer";
import { baseEnv, freePort, runProcess } from "./processes";
import { stack } from "./provided";
import { startStatementLog } from "./statement-log";
import { mailsTo, waitForSignInLink } from "./smtp-sink";
import { writeState } from "./writes";

/** The stack's app environment with `overrides` (null removes a variable). */
function appEnv(overrides: Record<string, string | null> = {}): Record<string, string> {
  const env: Record<string, string | null> = { ...stack.appEnv, ...overrides };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== null));
}

/**
 * A second `next start` of the test build on the stack's database, with its own AUTH_URL and
 * `overrides`; stopped when the test ends. Ready once `readyPath` answers 200 (/api/health/live
 * for an app whose database is meant to fail).
 */
async function startExtraApp(overrides: Record<string, string | null> = {}, readyPath?: string) {
  const port = await freePort();
  const app = await startApp(appEnv({ AUTH_URL: `http://localhost:${port}`, ...overrides }), { port, readyPath });
  onTestFinished(() => app.stop());
  return app;
}

/** PgBouncer in transaction pooling mode in front of the test Postgres (see pgbouncer.ts); stopped when the test ends. */
async function startPooler(options?: Parameters<typeof startPgBouncer>[0]) {
  const pooler = await startPgBouncer(options);
  onTestFinished(() => pooler.stop());
  return pooler;
}

/**
 * An extra app as a deployment behind a pooler runs: DATABASE_URL goes through a new PgBouncer to
 * the stack's database, DATABASE_URL_UNPOOLED straight to it. Both stop when the test ends.
 */
async function startPooledApp(overrides: Record<string, string | null> = {}) {
  const pooler = await startPooler();
  const app = await startExtraApp({
    DATABASE_URL: pooler.pooled(stack.databaseUrl),
    DATABASE_URL_UNPOOLED: stack.databaseUrl,
    ...overrides,
  });
  const database = new URL(stack.databaseUrl).pathname.slice(1);
  return { app, pooler, transactions: () => pooler.transactions(database) };
}

/** An extra app whose every statement to the stack's database is recorded (statement-log.ts); both stop when the test ends. */
async function startLoggedApp() {
  const direct = new URL(stack.databaseUrl);
  const log = await startStatementLog({ host: direct.hostname, port: Number(direct.port || 5432) });
  const app = await startExtraApp({ DATABASE_URL: log.through(stack.databaseUrl) });
  onTestFinished(() => log.stop());
  return { app, log };
}

/** A new, empty database on the test Postgres, dropped when the test ends. */
async function freshDatabase(label: string) {
  const database = await createDatabase(label);
  onTestFinished(() => dropDatabase(database.name));
  return { ...database, query: <T extends Record<string, unknown>>(text: string) => query<T>(database.url, text) };
}

/** `npm run db:migrate` (lib/cli/migrate.ts) with only `env` set; its exit code and output. */
function runMigrateCli(env: Record<string, string>) {
  return runProcess(process.execPath, ["--import", "tsx", "lib/cli/migrate.ts"], {
    env: { ...baseEnv(), ...env },
    timeoutMs: 120_000,
  });
}

/** Polls `check` until it answers something other than undefined or false; fails naming `what` after `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The lines an app process logged for `event` (the one logger writes a JSON object per line). */
const logLines = (app: AppProcess, event: string) =>
  app
    .output()
    .split("\n")
    .filter((line) => line.includes(`"event":"${event}"`));

/** GET /api/cron/reconcile as Vercel Cron calls it (on the stack's app unless `origin` says otherwise); the job's report. */
async function reconcile(origin = stack.appOrigin): Promise<ReconcileReport> {
  const response = await documentedFetch(`${origin}/api/cron/reconcile`, {
    headers: { authorization: `Bearer ${stack.cronSecret}` },
  });
  if (response.status !== 200) throw new Error(`reconcile answered ${response.status}: ${await response.text()}`);
  return response.json();
}

export const h = {
  stack,

  /** `fetch`, with an answer from a documented API operation checked against the OpenAPI document. */
  fetch: documentedFetch,
  /** A new cookie-keeping client, signed out (to the stack's app unless `origin` says otherwise). */
  client: (origin = stack.appOrigin) => new HttpClient(origin),
  uniqueEmail,
  uniqueClientIp,
  requestSignInLink,
  followSignInLink,
  /** The sign-in form posted for `email`: next-auth's answer as it is. */
  postSignInForm,
  signIn,
  /** A new signed-in customer: `{ client, email, id }` (id = user id = the sourceId it onboards with). */
  customer: signedInCustomer,
  operator: signedInOperator,
  onboardedCustomer,
  /** A request with a service token (the first of the stack's two unless given). */
  service: (path: string, token = stack.serviceTokens[0]!) =>
    documentedFetch(`${stack.appOrigin}${path}`, { headers: { authorization: `Bearer ${token}` } }),
  /** Server actions over HTTP as the browser calls them (`idleState`: a form's state before its first submit). */
  actions: {
    id: actionId,
    all: allActions,
    call: callAction,
    text: actionText,
    idleState,
    formState,
    onboard,
    refresh,
    signOut: signOutFromPage,
  },

  sql,
  count,
  rowCounts,
  userIdFor,
  claim: claimFor,
  cachedCount,
  seedCachedEndUsers,
  /** Row counts of the tables the API writes and the providers' call count: equal before and after a refused request. */
  writes: writeState,

  emulator,
  conductor,
  upstream: upstreamEndUsers,

  mail: {
    to: (email: string) => mailsTo(stack.sinkApiUrl, email),
    signInLink: (email: string, after = 0) => waitForSignInLink(stack.sinkApiUrl, email, after),
  },

  reconcile,

  /** Property-based fuzzing of route handlers and server actions (tests/fuzz). */
  fuzz: fuzzKit,

  /** Parts a fault test starts, breaks and brings back itself (stopped when the test ends). */
  own: { postgres: ownPostgres, redis: ownRedis, smtpRelay },
  /** GET /api/health of an app: its status and body. */
  health: async (origin = stack.appOrigin) => {
    const response = await documentedFetch(`${origin}/api/health`);
    return { status: response.status, body: (await response.json()) as Health };
  },

  until,
  logLines,

  appEnv,
  startApp: startExtraApp,
  startPooler,
  startPooledApp,
  startLoggedApp,
  freshDatabase,
  runMigrateCli,
  startAppExpectingFailure,
};

export type { HttpClient } from "./http";
