import { toAppError } from "@/lib/platform/errors/to-app-error";

/** When to try again after a provider's 429 that did not say: the SDK has already backed off and retried. */
export const UPSTREAM_RETRY_AFTER_SECONDS = 10;

/** Anything thrown while serving a request, answered with the error envelope and its status. */
export function errorResponse(error: unknown, request: Request): Response {
  const appError = toAppError(error, `${request.method} ${new URL(request.url).pathname}`);
  // A refusal is about this request: no cache may answer another with it.
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  // Every 429 says when to come back.
  const retryAfter = appError.details.retryAfterSeconds ?? (appError.status === 429 ? UPSTREAM_RETRY_AFTER_SECONDS : 0);
  if (retryAfter) headers["Retry-After"] = String(retryAfter);
  return Response.json(appError.toBody(), { status: appError.status, headers });
}
