/**
 * Row 8: opening Conductor's QuickBooks Desktop setup, one after another on one connection — the
 * conductor-node SDK's authSessions.create straight to the sandbox Conductor from a process of its
 * own (sdk-client.ts), then through POST /api/end-users/[id]/auth-sessions by the customer who
 * owns the end-user (session, per-end-user rate limit, access check, Conductor, audit). What the
 * app adds is its latency minus the direct call's; the same call from the bench's process, which
 * serves the sandbox, is shown for scale. Customers take turns, as each opens their own setup a
 * few times at most.
 */
import Conductor from "conductor-node";
import type { Row } from "../report";
import { type Bench, RUNS } from "../context";
import { Connection } from "../measure/connection";
import { startSdkProcess } from "../measure/sdk-process";
import { progress } from "../measure/progress";
import { failure, timer } from "../measure/timed";
import { median, ms, percentile, signedMs } from "../measure/stats";
import { signedInUsers } from "../seed";

const PER_RUN = 200;
const WARM_UP = 10;
const CUSTOMERS = 100;
const TARGET_ADDED_P50_MS = 5;

type Sample = { p50: number; p99: number };
type Way = "direct" | "directHere" | "route";

const timed = timer("an auth session was not created");

/** Customers of the bench's app, each with an end-user created through the app (so Conductor has it too). */
async function customersWithEndUsers(bench: Bench, connection: Connection) {
  const emails = Array.from({ length: CUSTOMERS }, (_, i) => `setup${i}@bench.example`);
  const customers = await signedInUsers(bench.databaseUrl, "setup", emails);
  const owned: { cookie: string; endUserId: string }[] = [];
  for (const [i, customer] of customers.entries()) {
    const reply = await connection.request("/api/end-users", {
      method: "POST",
      headers: { cookie: customer.cookie, "content-type": "application/json" },
      body: JSON.stringify({ companyName: `Setup ${i}` }),
    });
    if (reply.status !== 201) throw new Error(`onboarding a bench customer: ${failure(reply)}`);
    owned.push({
      cookie: customer.cookie,
      endUserId: (JSON.parse(reply.body) as { endUser: { id: string } }).endUser.id,
    });
  }
  return owned;
}

export async function measureAuthSessions(bench: Bench): Promise<Row[]> {
  const connection = new Connection(bench.app.origin);
  const redirectUrl = `${bench.app.origin}/onboarding/connected`;
  // As the app configures it for auth sessions: an interactive call, one retry.
  const sdkOptions = {
    apiKey: bench.conductor.secretKey,
    baseURL: bench.conductor.baseUrl,
    maxRetries: 1,
    timeout: 3_000,
  };
  const sdk = new Conductor(sdkOptions);
  const sdkProcess = await startSdkProcess(sdkOptions);
  const runs: Record<Way, Sample[]> = { direct: [], directHere: [], route: [] };
  try {
    progress(`row 8: onboarding ${CUSTOMERS} customers for their auth sessions`);
    const owned = await customersWithEndUsers(bench, connection);
    const pick = (i: number) => owned[i % owned.length]!;
    const body = (i: number) => ({
      publishableKey: bench.conductor.publishableKey,
      endUserId: pick(i).endUserId,
      redirectUrl,
    });
    const create: Record<Way, (i: number) => Promise<number>> = {
      direct: (i) => sdkProcess.time({ kind: "authSessions.create", body: body(i) }, "auth_session"),
      directHere: (i) =>
        timed(async () => {
          const session = await sdk.authSessions.create(body(i));
          return session.objectType === "auth_session" ? null : "unexpected answer";
        }),
      route: (i) => {
        const { cookie, endUserId } = pick(i);
        const headers = { cookie, "content-type": "application/json" };
        return timed(async () => {
          const reply = await connection.request(`/api/end-users/${endUserId}/auth-sessions`, {
            method: "POST",
            headers,
            body: "{}",
          });
          return reply.status === 201 ? null : failure(reply);
        });
      },
    };
    const ways: Way[] = ["direct", "directHere", "route"];
    for (const way of ways) for (let i = 0; i < WARM_UP; i++) await create[way](i);
    for (let run = 0; run < RUNS; run++) {
      progress(`row 8: run ${run + 1} of ${RUNS} (${PER_RUN} auth sessions each way)`);
      for (const way of ways) {
        const latencies: number[] = [];
        for (let k = 0; k < PER_RUN; k++) latencies.push(await create[way](WARM_UP + run * PER_RUN + k));
        runs[way].push({ p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
      }
    }
  } finally {
    connection.close();
  }
  const at = (way: Way) => ({
    p50: median(runs[way].map((r) => r.p50)),
    p99: median(runs[way].map((r) => r.p99)),
  });
  const [direct, directHere, route] = [at("direct"), at("directHere"), at("route")];
  return [
    {
      n: 8,
      what: `Open the QuickBooks Desktop setup: conductor-node authSessions.create → sandbox Conductor directly, from a process of its own (${PER_RUN} sequential)`,
      result: `p50 ${ms(direct.p50)}, p99 ${ms(direct.p99)}`,
    },
    {
      n: 8,
      what: "… for scale: the same call from the bench's process, which serves the sandbox (no process boundary)",
      result: `p50 ${ms(directHere.p50)}, p99 ${ms(directHere.p99)}`,
      compared: `p50 ${ms(direct.p50 - directHere.p50)} less than from a process of its own`,
    },
    {
      n: 8,
      what: "… through POST /api/end-users/[id]/auth-sessions (customer session, per-end-user limit, access check, audit)",
      result: `p50 ${ms(route.p50)}, p99 ${ms(route.p99)}`,
      compared: `added over the direct call: p50 ${signedMs(route.p50 - direct.p50)}, p99 ${signedMs(route.p99 - direct.p99)}; over the call from the sandbox's process: p50 ${signedMs(route.p50 - directHere.p50)}`,
      target: `added p50 < ${ms(TARGET_ADDED_P50_MS, 0)}`,
      met: route.p50 - direct.p50 < TARGET_ADDED_P50_MS,
    },
  ];
}
