import { z } from "zod";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";

/** The connection routes take no options: their body is `{}`, and anything else is refused. */
export const emptyBodySchema = z.strictObject({});

/** The connection forms name the end-user they act on. */
export const connectionFormSchema = z.strictObject({ endUserId: endUserIdSchema });

/** A setup link was emailed: to which address, and until when it opens the setup. */
export const sentLinkSchema = z.object({ sentTo: z.string(), expiresAt: z.date() });

export type SentLink = z.infer<typeof sentLinkSchema>;
