/**
 * Runs one fuzz surface as a fast-check property over batches of requests sent concurrently:
 * every answer is judged on its own (status, envelope, leaks), and when a batch holds a refusal
 * while rows were written or a provider was called, each refusal is replayed alone to find the
 * one that left a trace. Seeded (`FUZZ_SEED`), sized (`FUZZ_RUNS`), replayable (`FUZZ_PATH`).
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import fc from "fast-check";
import {
  describe as describeRequest,
  leaks,
  send,
  sendAllowingLargeHeads,
  stackSecrets,
  upstreamCalls,
  writeLog,
  type Answer,
} from "./oracle";
import type { FuzzRequest } from "./requests";
import { stack } from "../provided";

/** What a surface's judge makes of one answer. */
export type Judgement = {
  problems: string[];
  /** The request was refused: it must have written no row and called no provider. */
  refusal: boolean;
};

export type Judge = (request: FuzzRequest, answer: Answer) => Judgement;

/**
 * The plain request whose trace a refused one may leave too. A server action posted without
 * JavaScript is answered with its page, whose render reads as opening the page does (an operator
 * following an id nothing is cached for asks Conductor): only what goes beyond that is the refused
 * call's.
 */
export type Baseline = (request: FuzzRequest) => FuzzRequest | undefined;

export const fuzzSettings = (() => {
  const runs = Number(process.env.FUZZ_RUNS ?? 1000);
  // Inside `npm test` the same cases every run, so the suite is reproducible; a long run (`npm run
  // fuzz`) explores a new seed each time. Either way FUZZ_SEED replays one.
  const seed = process.env.FUZZ_SEED
    ? Number(process.env.FUZZ_SEED)
    : runs > 1000
      ? Date.now() ^ (Math.random() * 0x7fffffff)
      : 20261129;
  return {
    seed,
    /** Cases per surface (a route file, or a server action). */
    runs,
    /** Requests in flight at once, at least: every batch holds as many of each surface of its group. */
    concurrency: Number(process.env.FUZZ_CONCURRENCY ?? 8),
    path: process.env.FUZZ_PATH,
  };
})();

const secrets = stackSecrets();

async function answer(request: FuzzRequest): Promise<Answer> {
  try {
    return await send(request);
  } catch (error) {
    if (String((error as Error).cause).includes("HeadersOverflow"))
      return sendAllowingLargeHeads(request).catch(noAnswer);
    return noAnswer(error);
  }
}

function noAnswer(error: unknown): Answer {
  return { status: 0, headers: "", body: `no answer: ${String((error as Error).cause ?? error)}` };
}

/** The static properties of one answer, whatever the surface. */
export function baseProblems(answer: Answer): string[] {
  const problems = leaks(answer, secrets);
  if (answer.status === 0) problems.push(answer.body);
  else if (answer.status >= 500) problems.push(`answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  return problems;
}

/**
 * What a request changes before its answer and just after: rows written, providers called. Work a
 * request schedules after its answer would land within moments.
 */
async function traceOfOne(request: FuzzRequest): Promise<{ answer: Answer; trace: string[] }> {
  const [mark] = await Promise.all([writeLog.mark(), upstreamCalls.forget()]);
  const since = Date.now();
  const reply = await answer(request);
  await sleep(50);
  const [writes, calls] = await Promise.all([writeLog.since(mark), upstreamCalls.since(since)]);
  return { answer: reply, trace: [...writes.map((w) => `wrote: ${w}`), ...calls.map((c) => `called upstream: ${c}`)] };
}

/** `trace` less one of each entry `expected` holds. */
function beyond(trace: string[], expected: string[]): string[] {
  const left = [...expected];
  return trace.filter((entry) => {
    const at = left.indexOf(entry);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}

async function traceOf(request: FuzzRequest, judge: Judge, baseline: Baseline | undefined): Promise<string[]> {
  const alone = await traceOfOne(request);
  if (!judge(request, alone.answer).refusal || !alone.trace.length) return [];
  const plain = baseline?.(request);
  return plain ? beyond(alone.trace, (await traceOfOne(plain)).trace) : alone.trace;
}

async function checkBatch(requests: FuzzRequest[], judge: Judge, baseline?: Baseline): Promise<string[]> {
  const [mark] = await Promise.all([writeLog.mark(), upstreamCalls.forget()]);
  const since = Date.now();
  const answers = await Promise.all(requests.map(answer));
  const failures: string[] = [];
  const refusals: number[] = [];
  answers.forEach((reply, i) => {
    const verdict = judge(requests[i]!, reply);
    if (verdict.problems.length)
      failures.push(`${describeRequest(requests[i]!)}\n  → ${reply.status}: ${verdict.problems.join("; ")}`);
    if (verdict.refusal) refusals.push(i);
  });
  if (refusals.length) {
    const [writes, calls] = await Promise.all([writeLog.since(mark), upstreamCalls.since(since)]);
    if (writes.length || calls.length) {
      // Someone in the batch left a trace: replay each refusal alone, twice if it seems to, to name it.
      for (const i of refusals) {
        const trace = await traceOf(requests[i]!, judge, baseline);
        if (trace.length && (await traceOf(requests[i]!, judge, baseline)).length)
          failures.push(`${describeRequest(requests[i]!)}\n  → refused, yet ${trace.join(", ")}`);
      }
    }
  }
  return failures;
}

/**
 * Runs FUZZ_RUNS requests of each surface of a group, sent in concurrent batches that hold the
 * same number of requests of every surface; throws naming the seed, the replay path and every
 * failing request. Answers how many requests each surface got.
 */
export async function fuzz(
  name: string,
  surfaces: fc.Arbitrary<FuzzRequest>[],
  judge: Judge,
  baseline?: Baseline,
): Promise<Map<string, number>> {
  const { seed, runs, concurrency, path } = fuzzSettings;
  const each = Math.max(1, Math.ceil(concurrency / surfaces.length));
  const batches = Math.ceil(runs / each);
  let sent = 0;
  const perSurface = new Map<string, number>();
  const property = fc.asyncProperty(fc.tuple(...Array.from({ length: each }, () => surfaces).flat()), async (batch) => {
    sent += batch.length;
    for (const request of batch) perSurface.set(request.surface, (perSurface.get(request.surface) ?? 0) + 1);
    const failures = await checkBatch(batch, judge, baseline);
    if (failures.length) throw new Error(failures.join("\n"));
  });
  const logged = appLogLength();
  const details = await fc.check(property, { seed, path, numRuns: batches, endOnFailure: true });
  if (details.failed) {
    const reason =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `fuzz ${name} failed after ${sent} requests — replay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} ` +
        `FUZZ_RUNS=${runs} FUZZ_CONCURRENCY=${concurrency} npm run fuzz -- -t '${name}'\n${reason}` +
        `\nThe app logged meanwhile (errors, last 10):\n${appErrorsSince(logged)}`,
    );
  }
  const counts = [...perSurface].map(([surface, cases]) => `${surface}: ${cases}`).join(", ");
  console.log(`fuzz ${name}: ${sent} requests (${counts})`);
  return perSurface;
}

const appLogLength = () => readFileSync(stack.appLogFile, "utf8").length;

function appErrorsSince(offset: number): string {
  const lines = readFileSync(stack.appLogFile, "utf8").slice(offset).split("\n");
  return lines
    .filter((line) => /"level":"(error|warn)"|Error|⨯/.test(line))
    .slice(-10)
    .map((line) => `  ${line.slice(0, 500)}`)
    .join("\n");
}
