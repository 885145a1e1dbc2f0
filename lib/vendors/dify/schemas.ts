/**
 * Dify's `GET /end-users/{end_user_id}` answer. Dify's reference lists no required fields; `id` is
 * required here because a link is keyed by it, the rest are typed as documented when present.
 * Dify's `format: uuid` accepts any 8-4-4-4-12 hex id (its own example is not an RFC version).
 */
import { z } from "zod";
import { storableText } from "@/lib/model/text";

/** Any case in, lower case out, so one id is one key. */
export const difyIdSchema = z
  .guid({ error: "must be a Dify end-user id (a UUID)" })
  .transform((id) => id.toLowerCase());

const timestamp = z.iso.datetime({ offset: true });

export const difyEndUserSchema = z.object({
  id: difyIdSchema,
  tenant_id: difyIdSchema.optional(),
  app_id: difyIdSchema.nullable().optional(),
  type: z.string().optional(),
  external_user_id: storableText().nullable().optional(),
  name: storableText().nullable().optional(),
  is_anonymous: z.boolean().optional(),
  session_id: z.string().optional(),
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
});

export const difyErrorSchema = z.object({
  status: z.number().int(),
  code: z.string(),
  message: storableText(),
});

export type DifyEndUser = z.infer<typeof difyEndUserSchema>;
