import { z } from "zod";

/** An offboarded end-user: gone from Conductor, kept here as a tombstone since `deletedAt`. */
export const offboardedSchema = z.object({ id: z.string(), sourceId: z.string(), deletedAt: z.date() });

export type Offboarded = z.infer<typeof offboardedSchema>;
