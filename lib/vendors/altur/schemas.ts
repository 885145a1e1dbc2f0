/**
 * Altur's `GET /enduser/{id}` answer. Altur's reference lists `integration` as required but
 * defines only `integration_type`; real answers carry `integration_type`, so that is what is
 * read, and it is optional.
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
  info: storableText().optional(),
});

export const alturErrorSchema = z.object({
  error: z.number().int(),
  message: storableText(),
});

export type AlturEndUser = z.infer<typeof alturEndUserSchema>;
