/**
 * Conductor failures → AppError, worded by the error table. The SDK's `err.error` is the whole
 * JSON body, so Conductor's own fields sit under `err.error.error`.
 */
import Conductor from "conductor-node";
import { AppError } from "@/lib/platform/errors/app-error";
import { codeForUpstreamStatus, type ErrorCode } from "@/lib/platform/errors/codes";
import { unexpectedError } from "@/lib/platform/errors/to-app-error";
import { conductorErrorFieldsSchema, type ConductorErrorFields } from "./schemas";

export function requestIdFrom(headers: unknown): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function")
    return (headers as Headers).get("conductor-request-id") ?? undefined;
  const value = (headers as Record<string, unknown>)["conductor-request-id"];
  return typeof value === "string" ? value : undefined;
}

/** Statuses whose answer explains what was wrong with the request, worth passing on. */
const EXPLAINED = new Set([400, 409, 422]);

/**
 * Conductor's own word on the customer's QuickBooks Desktop comes before the HTTP status: "not set
 * up" is documented by code only (its status is not), and any other integration-connection error
 * is one only the customer can fix, whatever status carries it.
 */
function integrationCode(upstream: ConductorErrorFields["error"] | undefined): ErrorCode | null {
  if (upstream?.code === "INTEGRATION_CONNECTION_NOT_SET_UP") return "integration_not_set_up";
  if (upstream?.type === "INTEGRATION_CONNECTION_ERROR") return "integration_connection_error";
  return null;
}

/**
 * Operations whose request carries what our caller sent (a creation's company name, email and
 * sourceId): Conductor's refusal of it is the caller's to correct (400). Any other refusal is of a
 * request the app made up itself, so the failure is ours (502), whatever the caller sent.
 */
const CARRIES_CALLERS_INPUT = new Set(["endUsers.create"]);

/** Conductor's code for a resource it does not have. */
const MISSING = "RESOURCE_MISSING";

/**
 * The code for Conductor's status and body. A 409 is a conflict only when Conductor's own error
 * body says something: one whose body could not be read is an answer not understood (a cut-off
 * "not set up" is not a conflict). A 404 says the end-user is not there only with Conductor's own
 * code: any other (a wrong base URL's, a proxy's) refused a request the app made, which changed
 * nothing (so not "an answer not understood", which would leave an offboarding's outcome unknown).
 * Other statuses mean what they say, body or not: a 400 or 422 is still a refusal.
 */
function codeFor(
  status: number,
  body: unknown,
  upstream: ConductorErrorFields["error"] | undefined,
  operation?: string,
): ErrorCode {
  const integration = integrationCode(upstream);
  if (integration) return integration;
  const readable = typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "object";
  if (status === 409 && !readable) return "upstream_invalid_response";
  if (status === 404 && upstream?.code !== MISSING) return "upstream_refused";
  const code = codeForUpstreamStatus(status);
  return code === "upstream_invalid_request" && !CARRIES_CALLERS_INPUT.has(operation ?? "") ? "upstream_refused" : code;
}

/** `operation`: the call that failed (see `call`), which decides whose a refusal is. */
export function fromConductorError(error: unknown, operation?: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Conductor.APIConnectionTimeoutError) return AppError.upstream("upstream_timeout", "conductor");
  if (error instanceof Conductor.APIConnectionError) return AppError.upstream("upstream_unavailable", "conductor");
  // Aborted by us (a call over its budget: see call.ts), which says so itself.
  if (error instanceof Conductor.APIUserAbortError) return AppError.upstream("upstream_timeout", "conductor");
  // Not Conductor's answer: a defect (ours or the SDK's), whose cause must reach the log.
  if (!(error instanceof Conductor.APIError) || typeof error.status !== "number")
    return unexpectedError(error, `conductor ${operation ?? "call"}`);
  const upstream = conductorErrorFieldsSchema.safeParse(error.error).data?.error;
  const retryAfter = Number((error.headers as Record<string, string | undefined> | undefined)?.["retry-after"]);
  const code = codeFor(error.status, error.error, upstream, operation);
  const explained = EXPLAINED.has(error.status) || code === "integration_connection_error";
  return AppError.upstream(code, "conductor", {
    detail: explained ? upstream?.userFacingMessage : undefined,
    upstreamStatus: error.status,
    upstreamType: upstream?.type,
    upstreamCode: upstream?.code,
    userFacingMessage: upstream?.userFacingMessage,
    conductorRequestId: requestIdFrom(error.headers) ?? upstream?.requestId,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  });
}

/**
 * Whether Conductor may have acted despite the error: it answered with a server error, a
 * conflict, a timeout status, something unreadable, or not at all. A refusal (other 4xx), or a
 * call never sent, did nothing.
 */
export function outcomeUnknown(error: AppError): boolean {
  if (error.details.notSent) return false;
  const status = error.details.provider === "conductor" ? error.details.upstreamStatus : undefined;
  return status === undefined || status === 408 || status === 409 || status >= 500;
}

/**
 * Conductor's own word that it has no such resource: a 404 with its `RESOURCE_MISSING`, not any
 * 404 (a wrong base URL or a proxy answers one too, and the end-user may well still exist).
 */
export function conductorHasNoSuchResource(error: unknown): boolean {
  return (
    error instanceof AppError &&
    error.details.provider === "conductor" &&
    error.details.upstreamStatus === 404 &&
    error.details.upstreamCode === MISSING
  );
}
