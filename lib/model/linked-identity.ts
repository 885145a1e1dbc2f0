import { z } from "zod";
import { linkedProviderSchema } from "./providers";

/**
 * A customer's end-user at Altur or Dify in one shape, whatever the provider calls its fields:
 * each vendor client reshapes its answer into this, and this is what is stored and shown.
 */
export const linkedIdentitySchema = z.object({
  provider: linkedProviderSchema,
  externalId: z.string(),
  displayName: z.string().nullable(),
  /** The provider's own reference to our user, when it keeps one (compared with our sourceId). */
  externalUserId: z.string().nullable(),
  /** How the person reaches the provider (Altur's channel, Dify's user type). */
  channel: z.string().nullable(),
  note: z.string().nullable(),
  anonymous: z.boolean().nullable(),
  /** When the provider created it. */
  createdAt: z.date().nullable(),
});

export type LinkedIdentity = z.infer<typeof linkedIdentitySchema>;

/** A linked identity as cached and answered: whose it is, when it was fetched, and who linked it when. */
export const linkedAccountSchema = linkedIdentitySchema.extend({
  endUserId: z.string(),
  fetchedAt: z.date(),
  /** When the provider answered that it has no such end-user; null while it answers with it. */
  missingSince: z.date().nullable(),
  linkedAt: z.date(),
  linkedBy: z.string(),
});

export type LinkedAccount = z.infer<typeof linkedAccountSchema>;
