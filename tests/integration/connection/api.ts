/** What the connection API tests share: calls to its routes as a signed-in client, and what they leave behind. */
import { h, type HttpClient } from "../../support/harness";

export const post = (client: HttpClient, path: string, body: unknown = {}) => client.json(path, body);

/** Calls the sandbox Conductor received since `since` (at `path` below its mount, if given). */
export const conductorCalls = (since: number, path?: string) =>
  h.emulator.calls({ provider: "conductor", path, since });

export const audits = (endUserId: string, action: string) =>
  h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND "action" = $2::"AuditAction"`, [endUserId, action]);

export type ConnectionBody = {
  connection: { status: string; checkedAt: string | null; message: string | null; conductorRequestId: string | null };
};

/** A new auth session for the end-user (201 expected), as its `authSession`. */
export async function openSetup(client: HttpClient, id: string) {
  const response = await post(client, `/api/end-users/${id}/auth-sessions`);
  if (response.status !== 201) throw new Error(`opening the setup gave ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { authSession: { authFlowUrl: string; redirectUrl: string } }).authSession;
}

export const check = (client: HttpClient, id: string) => post(client, `/api/end-users/${id}/connection/check`);

/** The cached connection, as GET /api/end-users/[id]/connection answers it. */
export async function connection(client: HttpClient, id: string) {
  return ((await (await client.fetch(`/api/end-users/${id}/connection`)).json()) as ConnectionBody).connection;
}
