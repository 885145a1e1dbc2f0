/**
 * `npm run bench:compare -- <checkout> <checkout> […]`: what a change buys, measured with the
 * builds running side by side rather than in two bench runs an hour apart (the host's speed moves
 * more than most changes do). Each checkout (this one is `.`; another commit is a `git worktree`
 * with its own `npm install`) is built into its `.next-compare` with the bench's environment, then
 * all of them run on one database and one sandbox Conductor: creations through POST
 * /api/end-users, then through the onboarding server action, then the QuickBooks Desktop setup
 * through POST /api/end-users/[id]/auth-sessions, each customer their own, taken in turns of 25 per
 * build, with the direct SDK call (from a process of its own) between turns as the reference. The
 * checkouts must share this one's migrations. Prints one markdown table.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { actionId, encodedActionCall, findFormState } from "@/tests/support/actions";
import { applyMigrations } from "@/lib/db/migrations";
import { buildApp, startApp } from "@/tests/support/app-server";
import { createDatabase, dropDatabase } from "@/tests/support/database";
import { freePort } from "@/tests/support/processes";
import { onCleanup, runToReport } from "./cleanup";
import { Connection } from "./measure/connection";
import { progress } from "./measure/progress";
import { startSdkProcess } from "./measure/sdk-process";
import { ms, percentile } from "./measure/stats";
import { failure, timer } from "./measure/timed";
import { signedInUsers, type SignedIn } from "./seed";
import { benchAppEnv, startSandbox } from "./stack";

const DIST = ".next-compare";
const TURN = 25;
const TURNS = Number(process.env.COMPARE_TURNS ?? 12);
const WARM_UP = 10;

type Side = {
  checkout: string;
  origin: string;
  connection: Connection;
  customers: SignedIn[];
  /** Customers who onboard through the server action, one each. */
  actionCustomers: SignedIn[];
  onboardId: string;
  /** How this checkout's onboarding form posts: as text once it hands its fields as an object. */
  onboardAs: "text" | "form";
  endUserIds: string[];
  /** Setups opened so far: the next one is for the next customer's end-user. */
  opened: number;
  /** Action customers onboarded so far. */
  onboarded: number;
  creations: number[];
  actions: number[];
  setups: number[];
};

const timed = timer("a request did not succeed");

/** `.` is this checkout, built and served as the bench's own; another runs its own Next.js. */
const projectDir = (checkout: string) => (path.resolve(checkout) === process.cwd() ? undefined : checkout);

async function create(side: Side, record: boolean) {
  const i = side.endUserIds.length;
  const headers = { cookie: side.customers[i]!.cookie, "content-type": "application/json" };
  let id = "";
  const elapsed = await timed(async () => {
    const body = JSON.stringify({ companyName: `Compare ${i}` });
    const reply = await side.connection.request("/api/end-users", { method: "POST", headers, body });
    if (reply.status !== 201) return `${side.checkout}: creation answered ${failure(reply)}`;
    id = (JSON.parse(reply.body) as { endUser: { id: string } }).endUser.id;
    return null;
  });
  side.endUserIds.push(id);
  if (record) side.creations.push(elapsed);
}

async function onboard(side: Side, record: boolean) {
  const i = side.onboarded++;
  const { id, cookie } = side.actionCustomers[i]!;
  const fields = { signedInAs: id, companyName: `Action ${i}` };
  const request = await encodedActionCall(side.onboardId, side.origin, fields, cookie, side.onboardAs);
  const elapsed = await timed(async () => {
    const reply = await side.connection.request("/onboarding", request);
    return findFormState(reply.body)?.status === "success"
      ? null
      : `${side.checkout}: action answered ${failure(reply)}`;
  });
  if (record) side.actions.push(elapsed);
}

async function openSetup(side: Side, record: boolean) {
  const i = side.opened++;
  const headers = { cookie: side.customers[i]!.cookie, "content-type": "application/json" };
  const elapsed = await timed(async () => {
    const reply = await side.connection.request(`/api/end-users/${side.endUserIds[i]}/auth-sessions`, {
      method: "POST",
      headers,
      body: "{}",
    });
    return reply.status === 201 ? null : `${side.checkout}: setup answered ${failure(reply)}`;
  });
  if (record) side.setups.push(elapsed);
}

/** Turns of TURN requests per side, the order reversed every other turn, and the direct call after each. */
async function inTurns(sides: Side[], request: (side: Side) => Promise<void>, direct: () => Promise<number>) {
  const reference: number[] = [];
  for (let turn = 0; turn < TURNS; turn++) {
    progress(`turn ${turn + 1} of ${TURNS}`);
    for (const side of turn % 2 ? [...sides].reverse() : sides) for (let i = 0; i < TURN; i++) await request(side);
    for (let i = 0; i < TURN; i++) reference.push(await direct());
  }
  return reference;
}

const cell = (values: number[]) => `p50 ${ms(percentile(values, 50))}, p90 ${ms(percentile(values, 90))}`;

async function main(checkouts: string[]): Promise<string> {
  const { sandbox, env, secretKey, publishableKey } = await startSandbox("compare");
  for (const checkout of checkouts) {
    progress(`building ${checkout} into ${path.join(checkout, DIST)}`);
    buildApp(env, { dir: projectDir(checkout), distDir: DIST });
  }
  const { name, url } = await createDatabase("compare");
  onCleanup(`drop database ${name}`, () => dropDatabase(name));
  await applyMigrations(url);

  const total = WARM_UP + TURN * TURNS;
  const sides: Side[] = [];
  for (const [k, checkout] of checkouts.entries()) {
    const port = await freePort();
    const app = await startApp(benchAppEnv(env, url, port), {
      label: `next start (${checkout})`,
      port,
      dir: projectDir(checkout),
      distDir: DIST,
      host: "127.0.0.1",
      timeoutMs: 90_000,
    });
    onCleanup(`stop ${checkout}`, app.stop);
    const emails = Array.from({ length: total }, (_, i) => `compare${k}-${i}@bench.example`);
    const customers = await signedInUsers(url, `compare${k}`, emails);
    const actionEmails = emails.map((email) => `action-${email}`);
    sides.push({
      checkout,
      origin: app.origin,
      connection: new Connection(app.origin),
      customers,
      actionCustomers: await signedInUsers(url, `compare-action${k}`, actionEmails),
      onboardId: actionId("app/onboarding/actions.ts", "onboardAction", path.join(checkout, DIST)),
      onboardAs: existsSync(path.join(checkout, "app/_components/submit-fields.ts")) ? "text" : "form",
      endUserIds: [],
      opened: 0,
      onboarded: 0,
      creations: [],
      actions: [],
      setups: [],
    });
  }

  // From a process of its own, as the app's calls cross a process boundary (see sdk-client.ts);
  // configured as the app configures it for creation: no retries.
  const sdk = await startSdkProcess({
    apiKey: secretKey,
    baseURL: sandbox.urls.conductor,
    maxRetries: 0,
    timeout: 10_000,
  });
  let n = 0;
  const directCreation = () => {
    const i = n++;
    const body = { companyName: `Direct ${i}`, sourceId: `compare-direct-${i}`, email: "d@bench.example" };
    return sdk.time({ kind: "endUsers.create", body }, "end_user");
  };
  const directSetup = () => {
    const redirectUrl = `${sides[0]!.origin}/onboarding/connected`;
    const body = { publishableKey, endUserId: sides[0]!.endUserIds[0]!, redirectUrl };
    return sdk.time({ kind: "authSessions.create", body }, "auth_session");
  };

  for (const side of sides) for (let i = 0; i < WARM_UP; i++) await create(side, false);
  const creationReference = await inTurns(sides, (side) => create(side, true), directCreation);
  for (const side of sides) for (let i = 0; i < WARM_UP; i++) await onboard(side, false);
  const actionReference = await inTurns(sides, (side) => onboard(side, true), directCreation);
  for (const side of sides) for (let i = 0; i < WARM_UP; i++) await openSetup(side, false);
  const setupReference = await inTurns(sides, (side) => openSetup(side, true), directSetup);

  const lines = [
    `| Checkout | POST /api/end-users (${TURN * TURNS}) | onboarding server action (${TURN * TURNS}) | POST …/auth-sessions (${TURN * TURNS}) |`,
    "| --- | --- | --- | --- |",
    `| conductor-node SDK → sandbox directly | ${cell(creationReference)} | ${cell(actionReference)} | ${cell(setupReference)} |`,
    ...sides.map(
      (side) => `| ${side.checkout} | ${cell(side.creations)} | ${cell(side.actions)} | ${cell(side.setups)} |`,
    ),
  ];
  return lines.join("\n");
}

const checkouts = process.argv.slice(2);
if (checkouts.length < 2) {
  console.error("usage: npm run bench:compare -- <checkout> <checkout> […]   (this checkout is .)");
  process.exit(2);
}
runToReport(main(checkouts));
