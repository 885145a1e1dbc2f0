import { z } from "zod";

export const integrationConnectionSchema = z.object({
  id: z.string(),
  integrationSlug: z.enum(["quickbooks_desktop"]),
  createdAt: z.date(),
  lastRequestAt: z.date().nullable(),
  lastSuccessfulRequestAt: z.date().nullable(),
});

/** What Conductor says about an end-user, reshaped at the vendor's edge into our names and types. */
export const upstreamEndUserSchema = z.object({
  id: z.string(),
  sourceId: z.string(),
  companyName: z.string(),
  email: z.string(),
  createdAt: z.date(),
  integrationConnections: z.array(integrationConnectionSchema),
});

/**
 * The end-user as the API answers it: Conductor's facts, when our cache last matched them, and
 * when it was offboarded (null while live).
 */
export const endUserSchema = upstreamEndUserSchema.extend({ syncedAt: z.date(), deletedAt: z.date().nullable() });

export type IntegrationConnection = z.infer<typeof integrationConnectionSchema>;
export type UpstreamEndUser = z.infer<typeof upstreamEndUserSchema>;
export type EndUser = z.infer<typeof endUserSchema>;

/** Oldest first, ties by id: which of several end-users (or connections) counts as the first. */
export function oldestFirst(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
}
