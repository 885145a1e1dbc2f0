/**
 * A faithful sandbox of Conductor's end-user API as a fetch-style handler.
 *
 * Behaviour the reference leaves open, chosen here:
 * - a duplicate sourceId creates a second end-user, as nothing in the documented API prevents it
 *   (the app must therefore never POST twice for one customer);
 * - every new end-user gets one quickbooks_desktop connection that has not been used yet;
 * - unknown body fields, empty strings and malformed emails are rejected with 400.
 */
import { z } from "zod";
import type Conductor from "conductor-node";

type ConductorEndUserPayload = Conductor.EndUser;
import type { ConductorSandboxStore } from "./conductor-store";
import { json, pathBelow, randomId, readJson } from "./responses";

type ErrorType = "INVALID_REQUEST_ERROR" | "AUTHENTICATION_ERROR" | "INTERNAL_ERROR";

export function conductorError(
  status: number,
  type: ErrorType,
  code: string,
  message: string,
  userFacingMessage = message,
) {
  const requestId = randomId("req_");
  return json(
    status,
    { error: { message, userFacingMessage, type, code, httpStatusCode: status, requestId } },
    { "conductor-request-id": requestId },
  );
}

/** The answer for an injected fault with this status. */
export function conductorFaultResponse(status: number): Response {
  if (status === 401) return conductorError(401, "AUTHENTICATION_ERROR", "API_KEY_INVALID", "Invalid API key.");
  if (status === 429)
    return conductorError(
      429,
      "INVALID_REQUEST_ERROR",
      "RATE_LIMITED",
      "Too many requests.",
      "Too many requests. Please try again in a moment.",
    );
  if (status < 500)
    return conductorError(status, "INVALID_REQUEST_ERROR", "INVALID_REQUEST", "The request was rejected.");
  return conductorError(
    status,
    "INTERNAL_ERROR",
    "INTERNAL_SERVER_ERROR",
    "An internal server error occurred.",
    "An internal server error occurred. Please try again later.",
  );
}

const createBody = z.strictObject({
  companyName: z.string().trim().min(1),
  sourceId: z.string().trim().min(1),
  email: z.email(),
});

function invalidBody(issue: z.core.$ZodIssue): Response {
  const field = issue.path.join(".");
  if (issue.code === "unrecognized_keys") {
    return conductorError(
      400,
      "INVALID_REQUEST_ERROR",
      "UNKNOWN_PARAMETER",
      `Unknown parameter: \`${issue.keys.join("`, `")}\`.`,
    );
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return conductorError(
      400,
      "INVALID_REQUEST_ERROR",
      "MISSING_REQUIRED_PARAMETER",
      `Missing required parameter: \`${field}\`.`,
    );
  }
  return conductorError(
    400,
    "INVALID_REQUEST_ERROR",
    "INVALID_PARAMETER",
    `Invalid value for \`${field}\`: ${issue.message}.`,
  );
}

export function createConductorSandbox(options: { apiKey: string; store: ConductorSandboxStore; mount: string }) {
  const { apiKey, store, mount } = options;
  const ok = (body: unknown) => json(200, body, { "conductor-request-id": randomId("req_") });

  return async function handle(request: Request): Promise<Response> {
    const path = pathBelow(new URL(request.url), mount);
    if (path === null) return conductorError(404, "INVALID_REQUEST_ERROR", "ROUTE_NOT_FOUND", "Unknown route.");

    const authorization = request.headers.get("authorization") ?? "";
    if (!authorization.startsWith("Bearer ") || authorization.slice(7) !== apiKey) {
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

    if (path === "/end-users" && request.method === "GET") {
      return ok({ objectType: "list", url: "/v1/end-users", data: store.list() });
    }
    if (path === "/end-users" && request.method === "POST") {
      const body = await readJson(request);
      if (!body.ok)
        return conductorError(400, "INVALID_REQUEST_ERROR", "INVALID_JSON", "The request body is not valid JSON.");
      const parsed = createBody.safeParse(body.value);
      if (!parsed.success) return invalidBody(parsed.error.issues[0]!);
      const createdAt = new Date().toISOString();
      const endUser: ConductorEndUserPayload = {
        id: randomId("end_usr_"),
        objectType: "end_user",
        createdAt,
        companyName: parsed.data.companyName,
        sourceId: parsed.data.sourceId,
        email: parsed.data.email,
        integrationConnections: [
          {
            id: randomId("int_conn_"),
            objectType: "integration_connection",
            createdAt,
            integrationSlug: "quickbooks_desktop",
            lastRequestAt: null,
            lastSuccessfulRequestAt: null,
          },
        ],
      };
      store.insert(endUser);
      return ok(endUser);
    }
    const match = /^\/end-users\/([^/]+)$/.exec(path);
    if (match && request.method === "GET") {
      const id = decodeURIComponent(match[1]!);
      const endUser = store.get(id);
      if (endUser) return ok(endUser);
      return conductorError(
        404,
        "INVALID_REQUEST_ERROR",
        "RESOURCE_MISSING",
        `No end-user exists with id \`${id}\`.`,
        "The requested resource was not found.",
      );
    }
    return conductorError(404, "INVALID_REQUEST_ERROR", "ROUTE_NOT_FOUND", `Unknown route: ${request.method} ${path}.`);
  };
}
