/** Conductor's error shape and request ids, as the sandbox answers them. */
import type { z } from "zod";
import { json, randomId } from "@/lib/sandbox/responses";

export type ErrorType =
  | "INVALID_REQUEST_ERROR"
  | "AUTHENTICATION_ERROR"
  | "PERMISSION_ERROR"
  | "INTEGRATION_ERROR"
  | "INTEGRATION_CONNECTION_ERROR"
  | "INTERNAL_ERROR";

export function conductorError(
  status: number,
  type: ErrorType,
  code: string,
  message: string,
  userFacingMessage = message,
  integrationCode?: string,
) {
  const requestId = randomId("req_");
  const extra = integrationCode ? { integrationCode } : {};
  return json(
    status,
    { error: { message, userFacingMessage, type, code, httpStatusCode: status, requestId, ...extra } },
    { "conductor-request-id": requestId },
  );
}

/** Conductor hides why a key was refused from end-users: its userFacingMessage is the generic one. */
const INTERNAL_USER_FACING_MESSAGE = "An internal server error occurred. Please try again later.";

/** 401 for a request without a valid secret key: `keyGiven` tells a wrong key from none at all. */
export function unauthorized(keyGiven: boolean): Response {
  return conductorError(
    401,
    "AUTHENTICATION_ERROR",
    keyGiven ? "API_KEY_INVALID" : "API_KEY_MISSING",
    keyGiven ? "The API key provided is invalid." : "No API key provided. Use `Authorization: Bearer <secret key>`.",
    INTERNAL_USER_FACING_MESSAGE,
  );
}

/**
 * The answer for an injected fault with this status: for a status the sandbox also answers on its
 * own (401, 404), the very body it answers then, so a test sees nothing Conductor would not send.
 */
export function conductorFaultResponse(status: number): Response {
  if (status === 401) return unauthorized(true);
  if (status === 404) return notFound("No such resource.");
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
    INTERNAL_USER_FACING_MESSAGE,
  );
}

/** A successful answer, with its request id. */
export const ok = (body: unknown) => json(200, body, { "conductor-request-id": randomId("req_") });

export const notFound = (message: string) =>
  conductorError(404, "INVALID_REQUEST_ERROR", "RESOURCE_MISSING", message, "The requested resource was not found.");

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
};

/** What was wrong with a value, in Conductor's plain words rather than zod's. */
function problem(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case "too_small":
      return `must be at least ${issue.minimum}`;
    case "too_big":
      return `must be at most ${issue.maximum}`;
    case "invalid_format":
      return `must be a valid ${issue.format === "url" ? "URL" : issue.format}`;
    case "custom":
      return issue.message;
    default:
      return "is invalid";
  }
}

/** A 400 naming the first problem with a request body, as Conductor words it. */
export function invalidBody(issue: z.core.$ZodIssue): Response {
  const field = issue.path.join(".");
  if (issue.code === "unrecognized_keys") {
    return conductorError(
      400,
      "INVALID_REQUEST_ERROR",
      "UNKNOWN_PARAMETER",
      `Unknown parameter: \`${issue.keys.join("`, `")}\`.`,
    );
  }
  if (field === "")
    return conductorError(
      400,
      "INVALID_REQUEST_ERROR",
      "INVALID_REQUEST_BODY",
      "The request body must be a JSON object.",
    );
  // zod leaves the input out of its issues: a missing field is the one received as undefined.
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) {
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
    `Invalid value for \`${field}\`: ${problem(issue)}.`,
  );
}
