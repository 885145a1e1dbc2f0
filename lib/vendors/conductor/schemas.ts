/**
 * Conductor's end-user API as documented in its OpenAPI reference, as zod schemas. Every answer
 * is parsed with these before anything else sees it; a malformed answer is an error, never
 * passed through.
 */
import { z } from "zod";
import { storableText } from "@/lib/model/text";

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
  // Cached as they are, but for what Postgres cannot store (see storableText).
  companyName: storableText(),
  sourceId: storableText(),
  email: storableText(),
  integrationConnections: z.array(integrationConnectionSchema),
});

/** The list envelope is closed (`additionalProperties: false` in the reference). */
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

/** The answer to `DELETE /end-users/{id}`. */
export const endUserDeleteSchema = z.object({
  id: z.string().min(1),
  objectType: z.literal("end_user"),
  deleted: z.boolean(),
});

/** Conductor's error body: `{"error": {...}}`. */
export const conductorErrorBodySchema = z.object({
  error: z.object({
    message: storableText(),
    userFacingMessage: storableText(),
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

/**
 * What the app reads of an error Conductor sends, each field on its own: one it does not know yet
 * (a new `type`, a missing `requestId`) hides none of the others, such as the `code` that says an
 * end-user is gone or QuickBooks Desktop not set up. `conductorErrorBodySchema` is the whole
 * documented shape, which the sandbox's answers are held to.
 */
const fieldOf = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
export const conductorErrorFieldsSchema = z.object({
  error: z.object({
    message: fieldOf(storableText()),
    userFacingMessage: fieldOf(storableText()),
    type: fieldOf(z.string()),
    code: fieldOf(z.string()),
    requestId: fieldOf(z.string()),
  }),
});

export type ConductorErrorFields = z.infer<typeof conductorErrorFieldsSchema>;
export type CreateEndUserBody = z.infer<typeof createEndUserBodySchema>;
