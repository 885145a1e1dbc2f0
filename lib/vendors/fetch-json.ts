/**
 * One GET to Altur or Dify over fetch: bounded by a timeout, logged as one line, the answer
 * validated with the vendor's schema, and every failure turned into an AppError worded by the
 * error table.
 */
import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import { codeForUpstreamStatus, type ErrorCode } from "@/lib/platform/errors/codes";
import { withinTimeLeft } from "@/lib/platform/function-deadline";
import { log } from "@/lib/platform/log";
import type { Vendor } from "@/lib/platform/vendors";
import type { Transport } from "./transport";

/** A GET of one end-user by id: its answer must be about that id. */
export type JsonGet<S extends z.ZodType<{ id: string }>> = {
  vendor: Exclude<Vendor, "conductor">;
  operation: string;
  path: string;
  id: string;
  headers: Record<string, string>;
  schema: S;
  /** Reads the vendor's own error body into a message, when it has one. */
  errorMessage: (body: unknown) => string | undefined;
  /** Whether a 404's body is the vendor's "no such end-user"; any other 404 (a wrong base URL, say) is not understood. */
  unknownEndUser: (body: unknown) => boolean;
  timeoutMs: number;
};

/**
 * The code for a vendor's error status. Our caller's only input is an id we validated, so a 4xx
 * the table has no meaning for is the vendor refusing us (502), not the caller's bad input.
 */
function codeForVendorError(status: number, body: unknown, unknownEndUser: (body: unknown) => boolean): ErrorCode {
  if (status === 404) return unknownEndUser(body) ? "provider_end_user_not_found" : "upstream_invalid_response";
  const code = codeForUpstreamStatus(status);
  return code === "upstream_invalid_request" ? "upstream_refused" : code;
}

const isTimeout = (error: unknown) => ["TimeoutError", "AbortError"].includes((error as Error)?.name);

/** The answer's JSON, or undefined when it is not JSON; a body still arriving when time is up rejects. */
async function readBody(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (isTimeout(error)) throw error;
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function getJson<S extends z.ZodType<{ id: string }>>(
  transport: Transport,
  request: JsonGet<S>,
): Promise<z.output<S>> {
  const started = performance.now();
  const fields = () => ({
    provider: request.vendor,
    operation: request.operation,
    durationMs: Math.round(performance.now() - started),
  });
  // Within the function's own limit, if that leaves less: a call with no time left is not sent.
  const timeoutMs = withinTimeLeft(request.timeoutMs);
  let response: Response;
  try {
    if (timeoutMs <= 0) throw new DOMException("The function's time is up", "TimeoutError");
    response = await (transport.fetch ?? fetch)(`${transport.baseUrl}${request.path}`, {
      headers: { accept: "application/json", ...request.headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = isTimeout(error);
    log.warn("provider.call", { ...fields(), outcome: timedOut ? "timeout" : "unreachable" });
    throw AppError.upstream(timedOut ? "upstream_timeout" : "upstream_unavailable", request.vendor);
  }
  const body = await readBody(response).catch(() => {
    log.warn("provider.call", { ...fields(), status: response.status, outcome: "timeout" });
    throw AppError.upstream("upstream_timeout", request.vendor);
  });
  const parsed = response.ok ? request.schema.safeParse(body) : undefined;
  // An answer about another end-user than the one asked for would link that one instead.
  const understood = parsed?.success && parsed.data.id.toLowerCase() === request.id.toLowerCase();
  const outcome = !response.ok ? "error" : understood ? "ok" : "invalid_response";
  log.info("provider.call", { ...fields(), status: response.status, outcome });
  if (!response.ok) {
    const code = codeForVendorError(response.status, body, request.unknownEndUser);
    const explained = code === "provider_end_user_not_found" || code === "upstream_refused";
    const detail = explained ? request.errorMessage(body) : undefined;
    throw AppError.upstream(code, request.vendor, { upstreamStatus: response.status, detail });
  }
  if (!understood) throw AppError.upstream("upstream_invalid_response", request.vendor);
  return parsed.data;
}
