/** Timing one unit of sequential work, and wording a reply that was not the expected one. */
import type { Reply } from "./connection";

/**
 * A timer for work that answers null on success or what went wrong: it returns the milliseconds
 * the work took, and stops the run with `failed` and the problem when there was one.
 */
export function timer(failed: string): (work: () => Promise<string | null>) => Promise<number> {
  return async (work) => {
    const started = process.hrtime.bigint();
    const problem = await work();
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (problem !== null) throw new Error(`${failed}: ${problem}`);
    return elapsed;
  };
}

export const failure = (reply: Reply) =>
  `${reply.status}${reply.headers.location ? ` to ${reply.headers.location}` : ""} ${reply.body.slice(0, 300)}`;
