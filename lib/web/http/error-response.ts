import { toAppError } from "@/lib/platform/errors/to-app-error";

/** Anything thrown while serving a request, answered with the error envelope and its status. */
export function errorResponse(error: unknown, request: Request): Response {
  const appError = toAppError(error, `${request.method} ${new URL(request.url).pathname}`);
  const headers: Record<string, string> = {};
  if (appError.details.retryAfterSeconds) headers["Retry-After"] = String(appError.details.retryAfterSeconds);
  return Response.json(appError.toBody(), { status: appError.status, headers });
}
