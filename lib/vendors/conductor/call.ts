/**
 * Every Conductor call goes through `call`: one log line (operation, status, duration, request
 * id), the answer validated and reshaped by its schema, every failure mapped by the error table.
 */
import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import { log } from "@/lib/platform/log";
import { recordUpstreamOutcome } from "@/lib/platform/upstream-health";
import { fromConductorError, requestIdFrom } from "./errors";

export type ConductorResult<T> = { data: T; conductorRequestId: string | undefined };

/** What the SDK's calls give: their answer unread, once Conductor's status said success. */
type RawCall = { asResponse: () => Promise<Response> };

/** A call's bounds (see callOptions): the SDK's retries, and how long each attempt may take. */
type Bounds = { maxRetries: number; timeout: number };

/**
 * Sends the SDK call `send` with `bounds` and reads its answer. The SDK's timeout ends once
 * Conductor's headers arrive; the body is given as long again, then the request is aborted, so
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
  const reading = new AbortController();
  let response: Response;
  try {
    response = await send({ ...bounds, signal: reading.signal }).asResponse();
  } catch (error) {
    const appError = fromConductorError(error);
    throw fail(appError, appError.details.upstreamStatus ?? null);
  }
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
  recordUpstreamOutcome("conductor", null);
  const parsed = schema.safeParse(body);
  log.info("conductor.call", {
    operation,
    status: response.status,
    outcome: parsed.success ? "ok" : "invalid_response",
    durationMs: durationMs(),
    conductorRequestId,
  });
  if (!parsed.success) throw AppError.upstream("upstream_invalid_response", "conductor", { conductorRequestId });
  return { data: parsed.data, conductorRequestId };
}
