import { z } from "zod";
import { errorCodes, type ErrorCode } from "./codes";

/** The body of every HTTP error answer. */
export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      /** For invalid input: each refused field (nested ones dotted, `address.city`) and why. */
      fields: z.record(z.string(), z.array(z.string())).optional(),
      /** When Conductor answered: the id its support asks for. */
      conductorRequestId: z.string().optional(),
    }),
  })
  .meta({
    examples: [
      {
        error: {
          code: "invalid_request",
          message: "Invalid query: sourceId.",
          fields: { sourceId: ["must be at most 255 characters"] },
        },
      },
    ],
  });

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;
