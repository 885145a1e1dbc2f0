/** Conductor's payloads reshaped into the app's own types: dates parsed, `objectType` dropped. */
import { z } from "zod";
import type { UpstreamEndUser } from "@/lib/model/end-user";
import { endUserListSchema, endUserSchema } from "./schemas";

const date = (value: string) => new Date(value);
const dateOrNull = (value: string | null) => (value ? new Date(value) : null);

export function reshapeEndUser(endUser: z.infer<typeof endUserSchema>): UpstreamEndUser {
  return {
    id: endUser.id,
    sourceId: endUser.sourceId,
    companyName: endUser.companyName,
    email: endUser.email,
    createdAt: date(endUser.createdAt),
    integrationConnections: endUser.integrationConnections.map((connection) => ({
      id: connection.id,
      integrationSlug: connection.integrationSlug,
      createdAt: date(connection.createdAt),
      lastRequestAt: dateOrNull(connection.lastRequestAt),
      lastSuccessfulRequestAt: dateOrNull(connection.lastSuccessfulRequestAt),
    })),
  };
}

/** Answer schemas: validate Conductor's payload, then reshape it. */
export const endUserAnswer = endUserSchema.transform(reshapeEndUser);
// Each end-user is reshaped as soon as it is validated, so a long list never holds a whole
// validated copy next to the reshaped one (with 100,000 end-users, that copy was ≈ 100 MB).
export const endUserListAnswer = endUserListSchema
  .extend({ data: z.array(endUserAnswer) })
  .transform((list) => list.data);
