/**
 * A sandbox of Altur's `GET /enduser/{id}`, holding three fixed end-users. It shares no code with
 * the app's Altur client, so the contract tests compare two independent readings of Altur's API.
 */
import { z } from "zod";
import { decodedSegment, json, pathBelow } from "./responses";

type Channel = "api" | "whatsapp";
type AlturEndUser = { id: string; display_name: string; integration_type?: Channel; info?: string };

const uuidV4 = z.uuidv4();

export const alturSandboxEndUsers: AlturEndUser[] = [
  {
    id: "a1000000-0000-4000-8000-000000000001",
    display_name: "Ada Lovelace",
    integration_type: "api",
    info: "Prefers email follow-ups.",
  },
  {
    id: "a1000000-0000-4000-8000-000000000002",
    display_name: "Grace Hopper",
    integration_type: "whatsapp",
    info: "Reachable on WhatsApp in the mornings.",
  },
  { id: "a1000000-0000-4000-8000-000000000003", display_name: "Katherine Johnson", integration_type: "api", info: "" },
];

export const alturError = (status: number, message: string) => json(status, { error: status, message });

export function createAlturSandbox(options: { apiKey: string; mount: string }) {
  const byId = new Map(alturSandboxEndUsers.map((endUser) => [endUser.id, endUser]));
  return async function handle(request: Request): Promise<Response> {
    const path = pathBelow(new URL(request.url), options.mount);
    if (request.headers.get("authorization") !== `api-key ${options.apiKey}`) {
      return alturError(401, "Invalid or missing API key. Use `Authorization: api-key <key>`.");
    }
    const match = path === null ? null : /^\/enduser\/([^/]+)$/.exec(path);
    if (!match || request.method !== "GET") return alturError(404, "Not found.");
    const id = decodedSegment(match[1]!);
    if (id === null || !uuidV4.safeParse(id).success) return alturError(400, "The id must be a version 4 UUID.");
    // UUIDs are read in either case (RFC 9562); the fixed ids are kept in lower case.
    const endUser = byId.get(id.toLowerCase());
    // Altur's reference requires `integration` but defines only `integration_type`: both are sent.
    return endUser
      ? json(200, { ...endUser, integration: endUser.integration_type })
      : alturError(404, "EndUser not found.");
  };
}
