import { z } from "zod";
import { connectionStatusSchema } from "./connection";
import { linkedProviderSchema } from "./providers";

/**
 * What the mapping lookup answers: the Conductor id and our sourceId of one end-user, with what
 * other backends need beside them, and the ids of its linked Altur and Dify end-users (null when
 * none is linked).
 */
export const endUserMappingSchema = z
  .object({
    id: z.string(),
    sourceId: z.string(),
    companyName: z.string(),
    email: z.string(),
    createdAt: z.date(),
    /** When the cache last matched Conductor for this end-user. */
    syncedAt: z.date(),
    connectionStatus: connectionStatusSchema,
    /** When a full refresh no longer found it in Conductor's list (null while it is there). */
    missingUpstreamSince: z.date().nullable(),
    /**
     * When an offboarding was asked for that has not finished (null when none): Conductor may
     * already have deleted it, and the next reconcile settles which.
     */
    offboardingSince: z.date().nullable(),
    linkedProviders: z.record(linkedProviderSchema, z.string().nullable()),
  })
  .meta({
    examples: [
      {
        id: "end_usr_1234567abcdefg",
        sourceId: "cmid2x8ry0000abcd1234efgh",
        companyName: "Acme Bookkeeping",
        email: "owner@acme.example",
        createdAt: "2026-11-02T09:30:00.000Z",
        syncedAt: "2026-11-29T08:00:00.000Z",
        connectionStatus: "connected",
        missingUpstreamSince: null,
        offboardingSince: null,
        linkedProviders: { altur: null, dify: "5f6c8f3e-2b1a-4c3d-9e8f-0a1b2c3d4e5f" },
      },
    ],
  });

export type EndUserMapping = z.infer<typeof endUserMappingSchema>;
