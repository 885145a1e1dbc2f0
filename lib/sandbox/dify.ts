/**
 * A sandbox of Dify's `GET /end-users/{end_user_id}`, holding three fixed end-users. It shares no
 * code with the app's Dify client, so the contract tests compare two independent readings of Dify's API.
 */
import { STATUS_CODES } from "node:http";
import { decodedSegment, json, pathBelow } from "./responses";

type DifyEndUser = {
  id: string;
  tenant_id: string;
  app_id: string | null;
  type: string;
  external_user_id: string | null;
  name: string | null;
  is_anonymous: boolean;
  session_id: string;
  created_at: string;
  updated_at: string;
};

const TENANT = "d0000000-0000-4000-8000-0000000000aa";
const APP = "d0000000-0000-4000-8000-0000000000bb";

export const difySandboxEndUsers: DifyEndUser[] = [
  {
    id: "d1000000-0000-4000-8000-000000000001",
    tenant_id: TENANT,
    app_id: APP,
    type: "service_api",
    external_user_id: "customer-001",
    name: null,
    is_anonymous: false,
    session_id: "customer-001",
    created_at: "2024-01-16T12:00:29Z",
    updated_at: "2024-01-16T12:00:29Z",
  },
  {
    id: "d1000000-0000-4000-8000-000000000002",
    tenant_id: TENANT,
    app_id: APP,
    type: "service_api",
    external_user_id: "customer-002",
    name: "Acme support bot user",
    is_anonymous: false,
    session_id: "customer-002",
    created_at: "2024-03-02T08:15:00Z",
    updated_at: "2024-05-10T17:42:11Z",
  },
  {
    id: "d1000000-0000-4000-8000-000000000003",
    tenant_id: TENANT,
    app_id: null,
    type: "service_api",
    external_user_id: null,
    name: null,
    is_anonymous: true,
    session_id: "6b1f0c9e-anon",
    created_at: "2024-06-20T21:03:45Z",
    updated_at: "2024-06-20T21:03:45Z",
  },
];

export const difyError = (status: number, code: string, message: string) => json(status, { status, code, message });

const UNAUTHORIZED: [string, string] = ["unauthorized", "Access token is invalid"];

/**
 * The answer for an injected fault with this status: for a status the sandbox also answers on its
 * own (401, 404), the very body it answers then.
 */
export function difyFaultResponse(status: number): Response {
  if (status === 401) return difyError(401, ...UNAUTHORIZED);
  if (status === 404) return difyError(404, "end_user_not_found", "End user not found.");
  // Otherwise as Dify names an HTTP error it has no code of its own for: the status's name, snake_cased.
  const name = (STATUS_CODES[status] ?? "Internal Server Error").toLowerCase().replace(/[^a-z]+/g, "_");
  return difyError(status, name, `Injected failure (${status}).`);
}

export function createDifySandbox(options: { apiKey: string; mount: string }) {
  const byId = new Map(difySandboxEndUsers.map((endUser) => [endUser.id, endUser]));
  return async function handle(request: Request): Promise<Response> {
    const path = pathBelow(new URL(request.url), options.mount);
    if (request.headers.get("authorization") !== `Bearer ${options.apiKey}`) {
      return difyError(401, ...UNAUTHORIZED);
    }
    const match = path === null ? null : /^\/end-users\/([^/]+)$/.exec(path);
    if (!match || request.method !== "GET")
      return difyError(404, "not_found", "The requested URL was not found on the server.");
    // Dify's ids are UUIDs, read in either case (RFC 9562); the fixed ids are kept in lower case.
    const endUser = byId.get((decodedSegment(match[1]!) ?? "").toLowerCase());
    return endUser ? json(200, endUser) : difyError(404, "end_user_not_found", "End user not found.");
  };
}
