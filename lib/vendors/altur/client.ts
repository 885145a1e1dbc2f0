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
        unknownEndUser: (body) => alturErrorSchema.safeParse(body).data?.error === 404,
        timeoutMs: ALTUR_TIMEOUT_MS,
      });
      return reshapeAlturEndUser(endUser);
    },
  };
}
