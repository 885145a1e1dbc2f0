/**
 * A faithful sandbox of Conductor's API as a fetch-style handler, answering with the shapes of
 * conductor-node's own types and Conductor's error body.
 *
 * Behaviour the reference leaves open, chosen here:
 * - a duplicate sourceId creates a second end-user: the API document asks callers to keep
 *   sourceIds unique ("Must be unique for each user") but names no error for a duplicate, so the
 *   sandbox takes the worst case (the app must therefore never POST twice for one customer);
 * - the create body's reference types its three fields as required strings and says nothing of
 *   other fields, blank values or the email's form: the sandbox takes the strict reading and
 *   refuses unknown fields, blank strings and malformed emails with 400, so that nothing the app
 *   sends depends on Conductor taking them;
 * - a body must be sent as `application/json` (the only content the reference lists; else 415)
 *   and be at most 1 MB (else 413);
 * - "not set up" (a health check before the auth flow was completed) answers 409, as seen from
 *   Conductor in the wild (its documentation names only the code).
 */
import { pathBelow } from "@/lib/sandbox/responses";
import { authSessionRoutes, type AuthSessionOptions } from "./auth-sessions";
import { endUserRoutes } from "./end-users";
import { conductorError, unauthorized } from "./errors";
import { healthCheckRoutes } from "./health-check";
import type { ConductorSandboxStore } from "./store";

/** The credentials of an `Authorization: Bearer …` header; the scheme is case-insensitive (RFC 9110). */
const bearerToken = (authorization: string) => /^bearer +(.*)$/i.exec(authorization)?.[1];

type Routes = (store: ConductorSandboxStore, request: Request, path: string) => Promise<Response | null>;

export function createConductorSandbox(
  options: { apiKey: string; store: ConductorSandboxStore; mount: string } & AuthSessionOptions,
) {
  const { apiKey, store, mount } = options;
  const ROUTES: Routes[] = [endUserRoutes, authSessionRoutes(options), healthCheckRoutes];
  return async function handle(request: Request): Promise<Response> {
    const path = pathBelow(new URL(request.url), mount);
    if (path === null) return conductorError(404, "INVALID_REQUEST_ERROR", "ROUTE_NOT_FOUND", "Unknown route.");
    const authorization = request.headers.get("authorization") ?? "";
    if (bearerToken(authorization) !== apiKey) return unauthorized(authorization !== "");
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
