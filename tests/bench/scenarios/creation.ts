/**
 * Row 4: creating an end-user, one after another on one connection — the conductor-node SDK
 * straight to the sandbox Conductor from a process of its own (sdk-client.ts), then through the
 * app (POST /api/end-users and the onboarding server action, each by its own signed-in customer,
 * as a customer creates exactly one). What the app adds is its latency minus the direct call's.
 * Measured in the same turns, for scale:
 * - the same call from the bench's process, which serves the sandbox (no process boundary);
 * - a POST the app refuses at once (405 from /api/health/live, same cookie and body): Next.js's
 *   own floor for a POST, part of what the app adds;
 * - its floor for a server action: a form action of the floor app that only revalidates its page;
 * - the onboarding page as React data for the same customer just after: what the browser fetches
 *   again in the background once it shows the next step the action answered with (so that back
 *   and forward show the page as it now is); nobody waits for it;
 * - where the time of the API's, the action's and the SDK's creation goes, seen from outside: until
 *   the sandbox received the POST, and after it had answered (upstream-exchanges.ts).
 */
import Conductor from "conductor-node";
import { actionId, encodedActionCall, findFormState } from "@/tests/support/actions";
import type { Row } from "../report";
import { APP_DIST, FLOOR_APP, type Bench, RUNS } from "../context";
import { Connection } from "../measure/connection";
import { startSdkProcess } from "../measure/sdk-process";
import { progress } from "../measure/progress";
import { failure, timer } from "../measure/timed";
import { signedInUsers, type SignedIn } from "../seed";
import { median, ms, percentile, signedMs } from "../measure/stats";

const PER_RUN = 200;
const WARM_UP = 10;
const TARGET_ADDED_P50_MS = 5;

type Way = "direct" | "directHere" | "floor" | "floorAction" | "route" | "action" | "page";
type Sample = { p50: number; p99: number };
/** The ways whose creation is split around the sandbox's exchange: all in this process's clock. */
type Split = "directHere" | "route" | "action";
type Phases = { before: number; after: number };

const timed = timer("a creation did not succeed");
const nsToMs = (ns: bigint) => Number(ns) / 1e6;

export async function measureCreation(bench: Bench): Promise<Row[]> {
  const total = WARM_UP + RUNS * PER_RUN;
  const emails = (way: string) => Array.from({ length: total }, (_, i) => `${way}${i}@bench.example`);
  const customers: Record<"route" | "action", SignedIn[]> = {
    route: await signedInUsers(bench.databaseUrl, "route", emails("route")),
    action: await signedInUsers(bench.databaseUrl, "action", emails("action")),
  };
  // As the app configures it for creation: no retries.
  const sdkOptions = {
    apiKey: bench.conductor.secretKey,
    baseURL: bench.conductor.baseUrl,
    maxRetries: 0,
    timeout: 10_000,
  };
  const sdk = new Conductor(sdkOptions);
  const sdkProcess = await startSdkProcess(sdkOptions);
  const app = { origin: bench.app.origin, connection: new Connection(bench.app.origin) };
  const floorApp = { origin: bench.floor.origin, connection: new Connection(bench.floor.origin) };
  const { connection } = app;
  const onboardId = actionId("app/onboarding/actions.ts", "onboardAction", APP_DIST);
  const floorActionId = actionId(`${FLOOR_APP.dir}/app/form/actions.js`, "submit", FLOOR_APP.distDir);

  /** The API's creation request, sent to `path` (the floor's 405 takes the same request). */
  const postCompany = (path: string, companyName: string, customer: SignedIn, expected: number) => {
    const body = JSON.stringify({ companyName });
    const headers = { cookie: customer.cookie, "content-type": "application/json" };
    return timed(async () => {
      const reply = await connection.request(path, { method: "POST", headers, body });
      return reply.status === expected ? null : failure(reply);
    });
  };

  /** A form action's call, encoded ahead of time as the browser sends it, timed until its answer says success. */
  const submitForm = async (
    to: typeof app,
    page: string,
    id: string,
    fields: Record<string, string>,
    cookie: string,
  ) => {
    const request = await encodedActionCall(id, to.origin, fields, cookie, "text");
    return timed(async () => {
      const reply = await to.connection.request(page, request);
      return findFormState(reply.body)?.status === "success" ? null : failure(reply);
    });
  };

  const body = (i: number) => ({
    companyName: `Direct ${i}`,
    sourceId: `bench-direct-${i}`,
    email: `direct${i}@bench.example`,
  });
  const create: Record<Way, (i: number) => Promise<number>> = {
    direct: (i) => sdkProcess.time({ kind: "endUsers.create", body: body(i) }, "end_user"),
    directHere: (i) =>
      timed(async () => {
        const endUser = await sdk.endUsers.create({ ...body(i), sourceId: `bench-direct-here-${i}` });
        return endUser.sourceId === `bench-direct-here-${i}` ? null : "unexpected end-user";
      }),
    floor: (i) => postCompany("/api/health/live", `Floor ${i}`, customers.route[i]!, 405),
    floorAction: (i) => submitForm(floorApp, "/form", floorActionId, { companyName: `Floor ${i}` }, ""),
    route: (i) => postCompany("/api/end-users", `Route ${i}`, customers.route[i]!, 201),
    action: (i) => {
      const { id, cookie } = customers.action[i]!;
      return submitForm(app, "/onboarding", onboardId, { signedInAs: id, companyName: `Action ${i}` }, cookie);
    },
    // The action's customer i, onboarded a moment before in the same run: the page fetched after it.
    page: (i) =>
      timed(async () => {
        const headers = { cookie: customers.action[i]!.cookie, rsc: "1" };
        // Next.js answers React data only at the cache-busting address it computes from the
        // router headers; with none sent, that is a bare `_rsc` (it redirects anything else there).
        const reply = await connection.request("/onboarding?_rsc", { headers });
        return reply.status === 200 && reply.body.includes(`Action ${i}`) ? null : failure(reply);
      }),
  };

  // The split ways' creations also note their phases: each creation's in the current run, and
  // each run's p50s.
  const split: Record<Split, Phases[]> = { directHere: [], route: [], action: [] };
  const splitRuns: Record<Split, Phases[]> = { directHere: [], route: [], action: [] };
  for (const way of Object.keys(split) as Split[]) {
    const whole = create[way];
    create[way] = async (i) => {
      const started = process.hrtime.bigint();
      const elapsed = await whole(i);
      const ended = process.hrtime.bigint();
      const exchange = bench.sandboxExchanges.since(started, "POST", "/end-users");
      if (!exchange) throw new Error(`row 4, ${way}: the sandbox Conductor saw no creation`);
      split[way].push({ before: nsToMs(exchange.received - started), after: nsToMs(ended - exchange.answered) });
      return elapsed;
    };
  }

  const ways: Way[] = ["direct", "directHere", "floor", "floorAction", "route", "action", "page"];
  const runs: Record<Way, Sample[]> = {
    direct: [],
    directHere: [],
    floor: [],
    floorAction: [],
    route: [],
    action: [],
    page: [],
  };
  try {
    for (const way of ways) for (let i = 0; i < WARM_UP; i++) await create[way](i);
    for (let run = 0; run < RUNS; run++) {
      progress(`row 4: run ${run + 1} of ${RUNS} (${PER_RUN} creations each way)`);
      for (const way of ways) {
        const latencies: number[] = [];
        if (way in split) split[way as Split] = [];
        for (let k = 0; k < PER_RUN; k++) latencies.push(await create[way](WARM_UP + run * PER_RUN + k));
        runs[way].push({ p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
        if (way in split) {
          const taken = split[way as Split];
          splitRuns[way as Split].push({
            before: median(taken.map((p) => p.before)),
            after: median(taken.map((p) => p.after)),
          });
        }
      }
    }
  } finally {
    connection.close();
    floorApp.connection.close();
  }
  const at = (way: Way) => ({ p50: median(runs[way].map((r) => r.p50)), p99: median(runs[way].map((r) => r.p99)) });
  const direct = at("direct");
  const directHere = at("directHere");
  const floor = at("floor");
  const floorAction = at("floorAction");
  const page = at("page");
  const phases = (way: Split) => {
    const before = median(splitRuns[way].map((r) => r.before));
    const after = median(splitRuns[way].map((r) => r.after));
    return `${ms(before)} before, ${ms(after)} after`;
  };
  const row = (way: "route" | "action", what: string): Row => {
    const m = at(way);
    const added = m.p50 - direct.p50;
    return {
      n: 4,
      what,
      result: `p50 ${ms(m.p50)}, p99 ${ms(m.p99)}`,
      compared: `added over the direct call: p50 ${signedMs(added)}, p99 ${signedMs(m.p99 - direct.p99)}; over its floor: p50 ${signedMs(m.p50 - (way === "route" ? floor : floorAction).p50)}; over the call from the sandbox's process: p50 ${signedMs(m.p50 - directHere.p50)}`,
      target: `added p50 < ${ms(TARGET_ADDED_P50_MS, 0)}`,
      met: added < TARGET_ADDED_P50_MS,
    };
  };
  return [
    {
      n: 4,
      what: `Create an end-user: conductor-node SDK → sandbox Conductor directly, from a process of its own (${PER_RUN} sequential)`,
      result: `p50 ${ms(direct.p50)}, p99 ${ms(direct.p99)}`,
    },
    {
      n: 4,
      what: "… for scale: the same call from the bench's process, which serves the sandbox (no process boundary)",
      result: `p50 ${ms(directHere.p50)}, p99 ${ms(directHere.p99)}`,
      compared: `p50 ${ms(direct.p50 - directHere.p50)} less than from a process of its own`,
    },
    {
      n: 4,
      what: "… for scale: a POST the app refuses at once (405 from /api/health/live, same cookie and body)",
      result: `p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}`,
      compared: `Next.js's floor for a POST: p50 ${signedMs(floor.p50 - direct.p50)} over the direct call`,
    },
    {
      n: 4,
      what: "… for scale: a form action that only revalidates its page, in an otherwise empty Next.js app (tests/bench/floor-next-app)",
      result: `p50 ${ms(floorAction.p50)}, p99 ${ms(floorAction.p99)}`,
      compared: `Next.js's floor for a server action: p50 ${signedMs(floorAction.p50 - direct.p50)} over the direct call`,
    },
    row("route", "… through POST /api/end-users (customer session, exactly-once claim, cache write)"),
    row("action", "… through the onboarding server action (POST /onboarding, Next-Action)"),
    {
      n: 4,
      what: "… for scale: the page the browser fetches again after the action, in the background (GET /onboarding as React data, RSC: 1)",
      result: `p50 ${ms(page.p50)}, p99 ${ms(page.p99)}`,
      compared: "the customer sees the next step from the action's answer before it",
    },
    {
      n: 4,
      what: "… for scale: where a creation's time goes, seen from outside: p50 until the sandbox Conductor received the POST (before) and from its answer on (after)",
      result: `API: ${phases("route")}; server action: ${phases("action")}`,
      compared: `the SDK from the sandbox's process: ${phases("directHere")}`,
    },
  ];
}
