/**
 * Conductor's end-user API (seeds 000–002), as zod schemas. Every answer is parsed with these
 * before anything else sees it; a malformed answer is an error, never passed through.
 */
import { z } from "zod";

const timestamp = z.iso.datetime({ offset: true });

export const integrationSlugSchema = z.enum(["quickbooks_desktop"]);

export const integrationConnectionSchema = z.object({
  id: z.string().min(1),
  objectType: z.literal("integration_connection"),
  createdAt: timestamp,
  integrationSlug: integrationSlugSchema,
  lastRequestAt: timestamp.nullable(),
  lastSuccessfulRequestAt: timestamp.nullable(),
});

export const endUserSchema = z.object({
  id: z.string().min(1),
  objectType: z.literal("end_user"),
  createdAt: timestamp,
  companyName: z.string(),
  sourceId: z.string(),
  email: z.string(),
  integrationConnections: z.array(integrationConnectionSchema),
});

/** The list envelope is closed (`additionalProperties: false` in seed 001). */
export const endUserListSchema = z.strictObject({
  objectType: z.literal("list"),
  url: z.string(),
  data: z.array(endUserSchema),
});

export const createEndUserBodySchema = z.object({
  companyName: z.string(),
  sourceId: z.string(),
  email: z.string(),
});

/** Conductor's error body: `{"error": {...}}`. */
export const conductorErrorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    userFacingMessage: z.string(),
    type: z.enum([
      "INVALID_REQUEST_ERROR",
      "AUTHENTICATION_ERROR",
      "PERMISSION_ERROR",
      "INTEGRATION_ERROR",
      "INTEGRATION_CONNECTION_ERROR",
      "INTERNAL_ERROR",
    ]),
    code: z.string(),
    httpStatusCode: z.number().int(),
    requestId: z.string(),
    integrationCode: z.string().optional(),
  }),
});

export const requestIdSchema = z.string().regex(/^req_\w+$/);

export type ConductorEndUserPayload = z.infer<typeof endUserSchema>;
export type ConductorErrorBody = z.infer<typeof conductorErrorBodySchema>;
export type CreateEndUserBody = z.infer<typeof createEndUserBodySchema>;

/** The app's own shape of an end-user as Conductor describes it (dates parsed, objectType dropped). */
export const upstreamEndUserSchema = endUserSchema.transform((endUser) => ({
  id: endUser.id,
  sourceId: endUser.sourceId,
  companyName: endUser.companyName,
  email: endUser.email,
  createdAt: new Date(endUser.createdAt),
  integrationConnections: endUser.integrationConnections.map((connection) => ({
    id: connection.id,
    integrationSlug: connection.integrationSlug,
    createdAt: new Date(connection.createdAt),
    lastRequestAt: connection.lastRequestAt ? new Date(connection.lastRequestAt) : null,
    lastSuccessfulRequestAt: connection.lastSuccessfulRequestAt ? new Date(connection.lastSuccessfulRequestAt) : null,
  })),
}));

export type UpstreamEndUser = z.output<typeof upstreamEndUserSchema>;

/** Oldest first, ties by id: which of several end-users (or connections) counts as the first. */
export function oldestFirst(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
}

export const upstreamEndUserListSchema = endUserListSchema
  .extend({ data: z.array(upstreamEndUserSchema) })
  .transform((list) => list.data);
