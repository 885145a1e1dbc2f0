/**
 * Conductor failures → AppError, in one table. The SDK's `err.error` is the whole JSON body, so
 * Conductor's own fields sit under `err.error.error`.
 */
import Conductor from "conductor-node";
import { AppError } from "@/lib/errors/app-error";
import type { ErrorCode } from "@/lib/errors/codes";
import { conductorErrorBodySchema } from "./schemas";

type Mapping = { code: ErrorCode; message: (userFacing: string | undefined) => string };

const byStatus: Record<number, Mapping> = {
  400: { code: "upstream_invalid_request", message: (m) => m ?? "Conductor rejected the request as invalid." },
  401: { code: "upstream_auth_failed", message: () => "Conductor rejected our credentials. An operator must fix the API key." },
  403: { code: "upstream_auth_failed", message: () => "Conductor refused access with our credentials. An operator must check the API key." },
  404: { code: "end_user_not_found", message: () => "Conductor has no end-user with this id." },
  409: { code: "upstream_error", message: (m) => m ?? "Conductor reported a conflict. Try again shortly." },
  422: { code: "upstream_invalid_request", message: (m) => m ?? "Conductor could not process the request." },
  429: { code: "upstream_rate_limited", message: () => "Conductor is rate-limiting us. Wait a moment and try again." },
};

const serverError: Mapping = {
  code: "upstream_error",
  message: () => "Conductor had a problem answering. Try again shortly.",
};

export function requestIdFrom(headers: unknown): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get("conductor-request-id") ?? undefined;
  const value = (headers as Record<string, unknown>)["conductor-request-id"];
  return typeof value === "string" ? value : undefined;
}

export function fromConductorError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Conductor.APIConnectionTimeoutError) {
    return new AppError("upstream_timeout", "Conductor did not answer in time.", { provider: "conductor" });
  }
  if (error instanceof Conductor.APIConnectionError) {
    return new AppError("upstream_unavailable", "Conductor could not be reached.", { provider: "conductor" });
  }
  if (error instanceof Conductor.APIError && typeof error.status === "number") {
    const body = conductorErrorBodySchema.safeParse(error.error);
    const upstream = body.success ? body.data.error : undefined;
    const mapping = byStatus[error.status] ?? (error.status >= 500 ? serverError : byStatus[400]!);
    const retryAfter = Number((error.headers as Record<string, string | undefined> | undefined)?.["retry-after"]);
    return new AppError(mapping.code, mapping.message(upstream?.userFacingMessage), {
      provider: "conductor",
      upstreamStatus: error.status,
      upstreamType: upstream?.type,
      upstreamCode: upstream?.code,
      conductorRequestId: requestIdFrom(error.headers) ?? upstream?.requestId,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    });
  }
  return new AppError("internal_error");
}

/**
 * Whether Conductor may have created the end-user despite the error: it answered with a
 * server error, a conflict, something unreadable, or not at all. A refusal (4xx) created nothing.
 */
export function creationOutcomeUnknown(error: AppError): boolean {
  const status = error.details.provider === "conductor" ? error.details.upstreamStatus : undefined;
  return status === undefined || status === 408 || status === 409 || status >= 500;
}
