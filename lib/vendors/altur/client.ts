/** Altur's `GET /enduser/{id}`, with `Authorization: api-key <key>`, reshaped into a linked identity. */
import "server-only";
import type { LinkedIdentity } from "@/lib/model/linked-identity";
import { getJson } from "@/lib/vendors/fetch-json";
import type { Transport } from "@/lib/vendors/transport";
import { alturEndUserSchema, alturErrorSchema, type AlturEndUser } from "./schemas";

export const ALTUR_TIMEOUT_MS = 5_000;

export function reshapeAlturEndUser(endUser: AlturEndUser): LinkedIdentity {
  return {
    provider: "altur",
    externalId: endUser.id,
    displayName: endUser.display_name,
    externalUserId: null,
    channel: endUser.integration_type ?? endUser.integration ?? null,
    note: endUser.info || null,
    anonymous: null,
    createdAt: null,
  };
}

/**
 * Altur's error shape has no code, and its reference documents no 404: only a 404 whose message
 * speaks of the end-user says there is none. Any other (another API version's route, a wrong base
 * URL answered in Altur's shape) is not its word on the end-user, and flags no link missing.
 */
function saysNoSuchEndUser(body: unknown): boolean {
  const error = alturErrorSchema.safeParse(body).data;
  return error?.error === 404 && /\bend[\s_-]?user\b/i.test(error.message);
}

export function alturClient(transport: Transport) {
  return {
    async retrieveIdentity(id: string): Promise<LinkedIdentity> {
      const endUser = await getJson(transport, {
        vendor: "altur",
        operation: "enduser.retrieve",
        path: `/enduser/${encodeURIComponent(id)}`,
        id,
        headers: { authorization: `api-key ${transport.apiKey}` },
        schema: alturEndUserSchema,
        errorMessage: (body) => alturErrorSchema.safeParse(body).data?.message,
        unknownEndUser: saysNoSuchEndUser,
        timeoutMs: ALTUR_TIMEOUT_MS,
      });
      return reshapeAlturEndUser(endUser);
    },
  };
}
