import { z } from "zod";

/**
 * A Conductor auth session as the app keeps and answers it: where the customer sets up QuickBooks
 * Desktop, until when, and where Conductor sends them back. The session's client secret travels
 * only inside `authFlowUrl`.
 */
export const authSessionSchema = z.object({
  id: z.string(),
  authFlowUrl: z.string(),
  expiresAt: z.date(),
  redirectUrl: z.string().nullable(),
});

export type AuthSession = z.infer<typeof authSessionSchema>;
