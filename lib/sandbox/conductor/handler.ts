/**
 * A faithful sandbox of Conductor's API as a fetch-style handler, answering with the shapes of
 * conductor-node's own types and Conductor's error body.
 *
 * Behaviour the reference leaves open, chosen here:
 * - a duplicate sourceId creates a second end-user, as nothing in the documented API prevents it
 *   (the app must therefore never POST twice for one customer);
 * - unknown body fields, empty strings and malformed emails are rejected with 400;
 * - "not set up" (a health check before the auth flow was completed) answers 409, as seen from
 *   Conductor in the wild (its documentation names only the code).
 */
import { pathBelow } from "@/lib/sandbox/responses";
import { authSessionRoutes, type AuthSessionOptions } from "./auth-sessions";
import { endUserRoutes } from "./end-users";
import { conductorError } from "./errors";
import { healthCheckRoutes } from "./health-check";
import type { ConductorSandboxStore } from "./store";

type Routes = (store: ConductorSandboxStore, request: Request, path: string) => Promise<Response | null>;

function unauthorized(authorization: string): Response {
  return conductorError(
    401,
    "AUTHENTICATION_ERROR",
    authorization ? "API_KEY_INVALID" : "API_KEY_MISSING",
    authorization
      ? "The API key provided is invalid."
      : "No API key provided. Use `Authorization: Bearer <secret key>`.",
    "An internal server error occurred. Please try again later.",
  );
}

export function createConductorSandbox(
  options: { apiKey: string; store: ConductorSandboxStore; mount: string } & AuthSessionOptions,
) {
  const { apiKey, store, mount } = options;
  const ROUTES: Routes[] = [endUserRoutes, authSessionRoutes(options), healthCheckRoutes];
  return async function handle(request: Request): Promise<Response> {
    const path = pathBelow(new URL(request.url), mount);
    if (path === null) return conductorError(404, "INVALID_REQUEST_ERROR", "ROUTE_NOT_FOUND", "Unknown route.");
    const authorization = request.headers.get("authorization") ?? "";
    if (!authorization.startsWith("Bearer ") || authorization.slice(7) !== apiKey) return unauthorized(authorization);
    for (const routes of ROUTES) {
      const response = await routes(store, request, path).catch((error: unknown) => {
        if (error instanceof URIError)
          return conductorError(400, "INVALID_REQUEST_ERROR", "INVALID_PATH", "Malformed path.");
        throw error;
      });
      if (response) return response;
    }
    return conductorError(404, "INVALID_REQUEST_ERROR", "ROUTE_NOT_FOUND", `Unknown route: ${request.method} ${path}.`);
  };
}
