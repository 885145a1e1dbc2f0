/**
 * The time limit of the function a request runs in (Vercel's `maxDuration`), for the upstream
 * calls it makes: each call is given up early enough to record what happened and answer, rather
 * than the platform ending the function mid-call with its own error page and nothing recorded.
 */
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { singleton } from "./singleton";

/**
 * The `maxDuration` vercel.json gives the pages whose forms call upstream (`/onboarding/**`,
 * `/end-users/**`): a server action runs in its page's function, and a "use server" file cannot
 * declare one.
 */
export const PAGE_MAX_DURATION_S = 90;

/** What a function keeps after its last upstream call: recording the outcome, answering, and its own start. */
export const ANSWER_RESERVE_MS = 3_000;

/** When, on `performance.now()`'s clock, this request's upstream calls must have ended. */
const upstreamEnds = singleton("platform.functionDeadline", () => new AsyncLocalStorage<number>());

/** Runs `work` in a function limited to `maxDurationS` seconds; within another limit, the earlier one holds. */
export function withinMaxDuration<T>(maxDurationS: number, work: () => Promise<T>): Promise<T> {
  const endsAt = performance.now() + maxDurationS * 1_000 - ANSWER_RESERVE_MS;
  const outer = upstreamEnds.getStore();
  return upstreamEnds.run(outer === undefined ? endsAt : Math.min(outer, endsAt), work);
}

/** How long an upstream call may still take in this request; undefined where no limit was declared. */
export function upstreamTimeLeftMs(): number | undefined {
  const endsAt = upstreamEnds.getStore();
  return endsAt === undefined ? undefined : Math.max(0, Math.floor(endsAt - performance.now()));
}

/** A call's own budget, cut to what the request has left. */
export const withinTimeLeft = (budgetMs: number): number => Math.min(budgetMs, upstreamTimeLeftMs() ?? budgetMs);
