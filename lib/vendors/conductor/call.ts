/**
 * Every Conductor call goes through `call`: one log line (operation, status, duration, request
 * id), the answer validated and reshaped by its schema, every failure mapped by the error table.
 */
import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import { withinTimeLeft } from "@/lib/platform/function-deadline";
import { log } from "@/lib/platform/log";
import { recordUpstreamOutcome } from "@/lib/platform/upstream-health";
import { fromConductorError, requestIdFrom } from "./errors";

export type ConductorResult<T> = { data: T; conductorRequestId: string | undefined };

/** What the SDK's calls give: their answer unread, once Conductor's status said success. */
type RawCall = { asResponse: () => Promise<Response> };

/** A call's bounds (see callOptions): the SDK's retries, and how long each attempt may take. */
type Bounds = { maxRetries: number; timeout: number };

/**
 * How long a whole call may take: the SDK's timeout for each attempt's headers, as long again for
 * the last answer's body, and the SDK's own pauses between attempts (half a second, doubled each
 * time, at most 8 s). Past it the call is given up, whatever the SDK is doing: it reads a
 * refusal's body itself, with no bound, and pauses as long as a `Retry-After` asks (up to a
 * minute) before a retry.
 */
export function callBudgetMs({ maxRetries, timeout }: Bounds): number {
  let pauses = 0;
  for (let retry = 0; retry < maxRetries; retry++) pauses += Math.min(500 * 2 ** retry, 8_000);
  return (maxRetries + 2) * timeout + pauses;
}

/** How long the SDK is given, once its request is aborted, to say what it had (a refusal's status and request id). */
const REPORT_AFTER_ABORT_MS = 100;

/** The SDK's answer; null when `signal` aborted and the SDK had not answered a moment later. */
function answerOrGiveUp(answer: Promise<Response>, signal: AbortSignal): Promise<Response | null> {
  answer.catch(() => {}); // once given up, its failure is nobody's to handle
  const givenUp = new Promise<null>((resolve) =>
    signal.addEventListener("abort", () => setTimeout(() => resolve(null), REPORT_AFTER_ABORT_MS), { once: true }),
  );
  return Promise.race([answer, givenUp]);
}

const NOT_SENT = "This request ran out of time before Conductor could be asked, so nothing was sent. Try again.";

const timedOut = (conductorRequestId: string | undefined) =>
  AppError.upstream("upstream_timeout", "conductor", { conductorRequestId });

/**
 * Sends the SDK call `send` with `bounds` and reads its answer. The SDK's timeout ends once
 * Conductor's headers arrive; the body is given as long again, and the whole call its budget
 * (callBudgetMs, or less when the function's limit comes first), then the request is aborted, so
 * an answer that stalls midway cannot hold a function (or a claim's lease) open.
 */
export async function call<S extends z.ZodType>(
  operation: string,
  schema: S,
  bounds: Bounds,
  send: (options: Bounds & { signal: AbortSignal }) => RawCall,
): Promise<ConductorResult<z.output<S>>> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  const fail = (appError: AppError, status: number | null) => {
    recordUpstreamOutcome("conductor", appError.code);
    log.warn("conductor.call", {
      operation,
      status,
      outcome: appError.code,
      upstreamCode: appError.details.upstreamCode,
      durationMs: durationMs(),
      conductorRequestId: appError.details.conductorRequestId,
    });
    return appError;
  };
  // Within the function's own limit, if that leaves less: a call with no time left is not sent,
  // and says nothing about Conductor.
  const budgetMs = withinTimeLeft(callBudgetMs(bounds));
  if (budgetMs <= 0) {
    log.warn("conductor.call", { operation, status: null, outcome: "not_sent", durationMs: 0 });
    throw new AppError("upstream_timeout", NOT_SENT, { provider: "conductor", notSent: true });
  }
  const reading = new AbortController();
  const budget = setTimeout(() => reading.abort(), budgetMs);
  try {
    return await answerOf();
  } finally {
    clearTimeout(budget);
  }

  async function answerOf(): Promise<ConductorResult<z.output<S>>> {
    let response: Response | null;
    try {
      response = await answerOrGiveUp(send({ ...bounds, signal: reading.signal }).asResponse(), reading.signal);
    } catch (error) {
      const appError = fromConductorError(error, operation);
      const status = appError.details.upstreamStatus ?? null;
      // Aborted over budget (a refusal whose body stalled, say): what Conductor answered is unknown.
      throw fail(reading.signal.aborted ? timedOut(appError.details.conductorRequestId) : appError, status);
    }
    if (!response) throw fail(timedOut(undefined), null);
    const conductorRequestId = requestIdFrom(response.headers);
    // Read here rather than by the SDK, so that an answer cut off mid-body still names its request.
    // Its status is left out: Conductor may have acted all the same (see outcomeUnknown).
    let body: unknown;
    const deadline = setTimeout(() => reading.abort(), bounds.timeout);
    try {
      body = await response.json();
    } catch {
      const code = reading.signal.aborted ? "upstream_timeout" : "upstream_invalid_response";
      throw fail(AppError.upstream(code, "conductor", { conductorRequestId }), response.status);
    } finally {
      clearTimeout(deadline);
    }
    const parsed = schema.safeParse(body);
    // An answer the app cannot use is no sign of a working Conductor (/api/health).
    if (!parsed.success)
      throw fail(AppError.upstream("upstream_invalid_response", "conductor", { conductorRequestId }), response.status);
    recordUpstreamOutcome("conductor", null);
    log.info("conductor.call", {
      operation,
      status: response.status,
      outcome: "ok",
      durationMs: durationMs(),
      conductorRequestId,
    });
    return { data: parsed.data, conductorRequestId };
  }
}
