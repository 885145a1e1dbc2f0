/** Dify's `GET /end-users/{end_user_id}`, with a Bearer API key, reshaped into a linked identity. */
import "server-only";
import type { LinkedIdentity } from "@/lib/model/linked-identity";
import { getJson } from "@/lib/vendors/fetch-json";
import type { Transport } from "@/lib/vendors/transport";
import { difyEndUserSchema, difyErrorSchema, type DifyEndUser } from "./schemas";

export const DIFY_TIMEOUT_MS = 5_000;

export function reshapeDifyEndUser(endUser: DifyEndUser): LinkedIdentity {
  return {
    provider: "dify",
    externalId: endUser.id,
    displayName: endUser.name ?? null,
    externalUserId: endUser.external_user_id ?? null,
    channel: endUser.type ?? null,
    note: null,
    anonymous: endUser.is_anonymous ?? null,
    createdAt: endUser.created_at ? new Date(endUser.created_at) : null,
  };
}

export function difyClient(transport: Transport) {
  return {
    async retrieveIdentity(id: string): Promise<LinkedIdentity> {
      const endUser = await getJson(transport, {
        vendor: "dify",
        operation: "end-users.retrieve",
        path: `/end-users/${encodeURIComponent(id)}`,
        id,
        headers: { authorization: `Bearer ${transport.apiKey}` },
        schema: difyEndUserSchema,
        errorMessage: (body) => difyErrorSchema.safeParse(body).data?.message,
        unknownEndUser: (body) => difyErrorSchema.safeParse(body).data?.code === "end_user_not_found",
        timeoutMs: DIFY_TIMEOUT_MS,
      });
      return reshapeDifyEndUser(endUser);
    },
  };
}
