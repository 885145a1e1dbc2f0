import { z } from "zod";
import { alturIdSchema } from "@/lib/altur/schemas";
import { difyIdSchema } from "@/lib/dify/schemas";
import type { LookupKey } from "@/lib/data/lookup";

const value = z.string({ error: "must be given once" }).min(1, "must not be empty").max(255, "must be at most 255 characters");

/** Exactly one of `sourceId`, `id`, or `provider` with that provider's `id`. */
export const lookupQuerySchema = z
  .strictObject({ sourceId: value.optional(), id: value.optional(), provider: z.enum(["altur", "dify"]).optional() })
  .superRefine((query, ctx) => {
    if (query.provider) {
      if (query.sourceId !== undefined) ctx.addIssue({ code: "custom", path: ["sourceId"], message: "cannot be combined with provider" });
      if (query.id === undefined) ctx.addIssue({ code: "custom", path: ["id"], message: `is required with provider (the ${query.provider} end-user id)` });
      else if (!(query.provider === "altur" ? alturIdSchema : difyIdSchema).safeParse(query.id).success) {
        ctx.addIssue({ code: "custom", path: ["id"], message: `must be a ${query.provider === "altur" ? "version 4 UUID" : "UUID"}` });
      }
    } else if ((query.sourceId === undefined) === (query.id === undefined)) {
      ctx.addIssue({ code: "custom", path: [query.sourceId === undefined ? "sourceId" : "id"], message: "give exactly one of sourceId or id" });
    }
  })
  .transform((query): LookupKey =>
    query.provider ? { provider: query.provider, externalId: query.id! } : query.sourceId !== undefined ? { sourceId: query.sourceId } : { id: query.id! },
  );
