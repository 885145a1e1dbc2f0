import { z } from "zod";
import { errorCodes, type ErrorCode } from "./codes";

/** The body of every HTTP error answer. */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
    conductorRequestId: z.string().optional(),
  }),
});

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;
