/**
 * Altur's `GET /enduser/{id}` answer. Altur's reference lists `integration` as required but
 * defines only `integration_type`: the channel is read from either, and neither is required (an
 * `integration` that is not a known channel is ignored rather than refused).
 */
import { z } from "zod";
import { storableText } from "@/lib/model/text";

/** Altur's ids are version 4 UUIDs: any case in, lower case out (RFC 9562), so one id is one key. */
export const alturIdSchema = z
  .uuidv4({ error: "must be an Altur end-user id (a version 4 UUID)" })
  .transform((id) => id.toLowerCase());

export const alturEndUserSchema = z.object({
  id: alturIdSchema,
  display_name: storableText(),
  integration_type: z.enum(["api", "whatsapp"]).optional(),
  integration: z.enum(["api", "whatsapp"]).optional().catch(undefined),
  info: storableText().optional(),
});

export const alturErrorSchema = z.object({
  error: z.number().int(),
  message: storableText(),
});

export type AlturEndUser = z.infer<typeof alturEndUserSchema>;
