/**
 * One GET to Altur or Dify over fetch: bounded by a timeout, logged as one line, the answer
 * validated with the vendor's schema, and every failure turned into an AppError worded by the
 * error table.
 */
import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import { codeForUpstreamStatus } from "@/lib/platform/errors/codes";
import { log } from "@/lib/platform/log";
import type { Vendor } from "@/lib/platform/vendors";
import type { Transport } from "./transport";

export type JsonGet<S extends z.ZodType> = {
  vendor: Exclude<Vendor, "conductor">;
  operation: string;
  path: string;
  headers: Record<string, string>;
  schema: S;
  /** Reads the vendor's own error body into a message, when it has one. */
  errorMessage: (body: unknown) => string | undefined;
  timeoutMs: number;
};

async function readBody(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

export async function getJson<S extends z.ZodType>(transport: Transport, request: JsonGet<S>): Promise<z.output<S>> {
  const started = performance.now();
  const fields = () => ({
    provider: request.vendor,
    operation: request.operation,
    durationMs: Math.round(performance.now() - started),
  });
  let response: Response;
  try {
    response = await (transport.fetch ?? fetch)(`${transport.baseUrl}${request.path}`, {
      headers: { accept: "application/json", ...request.headers },
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError" || (error as Error).name === "AbortError";
    log.warn("provider.call", { ...fields(), outcome: timedOut ? "timeout" : "unreachable" });
    throw AppError.upstream(timedOut ? "upstream_timeout" : "upstream_unavailable", request.vendor);
  }
  const body = await readBody(response);
  const parsed = response.ok ? request.schema.safeParse(body) : undefined;
  const outcome = !response.ok ? "error" : parsed?.success ? "ok" : "invalid_response";
  log.info("provider.call", { ...fields(), status: response.status, outcome });
  if (!response.ok) {
    const code = codeForUpstreamStatus(response.status, "provider_end_user_not_found");
    const detail =
      response.status === 404 || code === "upstream_invalid_request" ? request.errorMessage(body) : undefined;
    throw AppError.upstream(code, request.vendor, { upstreamStatus: response.status, detail });
  }
  if (!parsed?.success) throw AppError.upstream("upstream_invalid_response", request.vendor);
  return parsed.data;
}
