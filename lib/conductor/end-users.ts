/**
 * Conductor's end-user operations, returning the app's own types. Every call is logged as one
 * line (operation, status, duration, request id) and every answer is validated.
 */
import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";
import { callOptions, conductor } from "./client";
import { fromConductorError, requestIdFrom } from "./errors";
import {
  upstreamEndUserListSchema,
  upstreamEndUserSchema,
  type CreateEndUserBody,
  type UpstreamEndUser,
} from "./schemas";

export type ConductorResult<T> = { data: T; conductorRequestId: string | undefined };

type RawCall = { withResponse: () => Promise<{ data: unknown; response: { status: number; headers: unknown } }> };

async function call<S extends z.ZodType>(
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
    log.warn("conductor.call", {
      operation,
      status: appError.details.upstreamStatus ?? null,
      outcome: appError.code,
      durationMs: durationMs(),
      conductorRequestId: appError.details.conductorRequestId,
    });
    throw appError;
  }
  const conductorRequestId = requestIdFrom(raw.response.headers);
  const parsed = schema.safeParse(raw.data);
  log.info("conductor.call", {
    operation,
    status: raw.response.status,
    outcome: parsed.success ? "ok" : "invalid_response",
    durationMs: durationMs(),
    conductorRequestId,
  });
  if (!parsed.success) {
    throw new AppError("upstream_invalid_response", "Conductor answered with something we could not understand.", {
      provider: "conductor",
      conductorRequestId,
    });
  }
  return { data: parsed.data, conductorRequestId };
}

export function createEndUser(body: CreateEndUserBody): Promise<ConductorResult<UpstreamEndUser>> {
  return call("endUsers.create", upstreamEndUserSchema, () => conductor().endUsers.create(body, callOptions.create()));
}

export function retrieveEndUser(
  id: string,
  mode: "interactive" | "background" = "interactive",
): Promise<ConductorResult<UpstreamEndUser>> {
  return call("endUsers.retrieve", upstreamEndUserSchema, () =>
    conductor().endUsers.retrieve(id, callOptions[mode]()),
  );
}

export function listEndUsers(mode: "interactive" | "background" = "background"): Promise<ConductorResult<UpstreamEndUser[]>> {
  return call("endUsers.list", upstreamEndUserListSchema, () => conductor().endUsers.list(callOptions[mode]()));
}
