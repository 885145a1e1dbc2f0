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

type RawCall = { withResponse: () => Promise<{ data: unknown; response: { status: number; headers: unknown } }> };

export async function call<S extends z.ZodType>(
  operation: string,
  schema: S,
  send: () => RawCall,
): Promise<ConductorResult<z.output<S>>> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  let raw: Awaited<ReturnType<RawCall["withResponse"]>>;
  try {
    raw = await send().withResponse();
  } catch (error) {
    const appError = fromConductorError(error);
    recordUpstreamOutcome("conductor", appError.code);
    log.warn("conductor.call", {
      operation,
      status: appError.details.upstreamStatus ?? null,
      outcome: appError.code,
      upstreamCode: appError.details.upstreamCode,
      durationMs: durationMs(),
      conductorRequestId: appError.details.conductorRequestId,
    });
    throw appError;
  }
  recordUpstreamOutcome("conductor", null);
  const conductorRequestId = requestIdFrom(raw.response.headers);
  const parsed = schema.safeParse(raw.data);
  log.info("conductor.call", {
    operation,
    status: raw.response.status,
    outcome: parsed.success ? "ok" : "invalid_response",
    durationMs: durationMs(),
    conductorRequestId,
  });
  if (!parsed.success) throw AppError.upstream("upstream_invalid_response", "conductor", { conductorRequestId });
  return { data: parsed.data, conductorRequestId };
}
