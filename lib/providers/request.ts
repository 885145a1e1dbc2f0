/**
 * One GET to Altur or Dify over fetch: bounded by a timeout, logged as one line, the answer
 * validated with the provider's schema, and every failure turned into the app's AppError.
 */
import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import type { ErrorCode } from "@/lib/errors/codes";
import type { ExternalProvider } from "@/lib/db/generated/enums";
import { log } from "@/lib/log";
import { providerNames as NAMES } from "./names";

export type ProviderRequest<S extends z.ZodType> = {
  provider: ExternalProvider;
  operation: string;
  url: string;
  headers: Record<string, string>;
  schema: S;
  /** Reads the provider's own error body into a message, when it has one. */
  errorMessage: (body: unknown) => string | undefined;
  timeoutMs: number;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
};

function failure(provider: ExternalProvider, status: number, upstreamMessage: string | undefined): AppError {
  const name = NAMES[provider];
  const [code, message]: [ErrorCode, string] =
    status === 401 || status === 403
      ? ["upstream_auth_failed", `The ${name} provider rejected our credentials. An operator must fix the ${name} API key.`]
      : status === 404
        ? ["provider_end_user_not_found", `${name} has no end-user with this id${upstreamMessage ? ` (${upstreamMessage.replace(/\.$/, "")})` : ""}.`]
        : status === 429
          ? ["upstream_rate_limited", `${name} is rate-limiting us. Wait a moment and try again.`]
          : status >= 500
            ? ["upstream_error", `${name} had a problem answering. Try again shortly.`]
            : ["upstream_invalid_request", `${name} rejected the request${upstreamMessage ? `: ${upstreamMessage}` : "."}`];
  return new AppError(code, message, { provider, upstreamStatus: status });
}

export async function providerGet<S extends z.ZodType>(request: ProviderRequest<S>): Promise<z.output<S>> {
  const started = performance.now();
  const fields = { provider: request.provider, operation: request.operation };
  const doFetch = request.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(request.url, { headers: { accept: "application/json", ...request.headers }, signal: AbortSignal.timeout(request.timeoutMs) });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError" || (error as Error).name === "AbortError";
    log.warn("provider.call", { ...fields, outcome: timedOut ? "timeout" : "unreachable", durationMs: Math.round(performance.now() - started) });
    const name = NAMES[request.provider];
    throw timedOut
      ? new AppError("upstream_timeout", `${name} did not answer in time.`, { provider: request.provider })
      : new AppError("upstream_unavailable", `${name} could not be reached.`, { provider: request.provider });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = response.ok ? request.schema.safeParse(body) : undefined;
  log.info("provider.call", {
    ...fields,
    status: response.status,
    outcome: !response.ok ? "error" : parsed?.success ? "ok" : "invalid_response",
    durationMs: Math.round(performance.now() - started),
  });
  if (!response.ok) throw failure(request.provider, response.status, request.errorMessage(body));
  if (!parsed?.success) {
    throw new AppError("upstream_invalid_response", `${NAMES[request.provider]} answered with something we could not understand.`, { provider: request.provider });
  }
  return parsed.data;
}
