/**
 * Altur's `GET /enduser/{id}` (seed 003). The seed's `required` list names `integration`, a
 * property it never defines, while the defined property is `integration_type`; real answers
 * carry `integration_type`, so that is what is read, and it is optional.
 */
import { z } from "zod";

/** The seed's `format: uuid4`. */
export const alturIdSchema = z.uuidv4({ error: "must be an Altur end-user id (a version 4 UUID)" });

export const alturEndUserSchema = z.object({
  id: alturIdSchema,
  display_name: z.string(),
  integration_type: z.enum(["api", "whatsapp"]).optional(),
  info: z.string().optional(),
});

export const alturErrorSchema = z.object({
  error: z.number().int(),
  message: z.string(),
});

export type AlturEndUser = z.infer<typeof alturEndUserSchema>;
