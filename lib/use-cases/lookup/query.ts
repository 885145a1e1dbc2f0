import { z } from "zod";
import type { LookupKey } from "@/lib/data/lookup";
import { linkedProviderSchema } from "@/lib/model/providers";
import { queryText } from "@/lib/model/text";
import { cachedSourceIdSchema, endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { linkedProviders, providerIdFormats } from "@/lib/wiring/linked-providers";

// Conductor's ids are at most 100 characters, and the providers' are UUIDs: what the document states is what is taken.
const value = queryText().min(1, "must not be empty").max(100, "must be at most 100 characters");

/** Exactly one of `sourceId`, `id`, or `provider` with that provider's `id`. */
export const lookupQuerySchema = z
  .strictObject({
    sourceId: cachedSourceIdSchema.optional().meta({
      description:
        "Our user id: which Conductor end-user has it. Give exactly one of sourceId or id; not with provider",
    }),
    id: value.optional().meta({
      description:
        "A Conductor end-user id (the reverse lookup): end_usr_ followed by letters and digits, at most 100 " +
        "characters; with provider, that provider's end-user id " +
        `(${providerIdFormats}). Give exactly one of sourceId or id`,
    }),
    provider: linkedProviderSchema
      .optional()
      .meta({ description: "Look up by a linked Altur or Dify end-user id, given as id (required with it)" }),
  })
  .superRefine((query, ctx) => {
    if (query.provider) {
      const provider = linkedProviders[query.provider];
      if (query.sourceId !== undefined) {
        ctx.addIssue({ code: "custom", path: ["sourceId"], message: "cannot be combined with provider" });
      }
      if (query.id === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["id"],
          message: `is required with provider (the ${query.provider} end-user id)`,
        });
      } else if (!provider.idSchema.safeParse(query.id).success) {
        ctx.addIssue({ code: "custom", path: ["id"], message: `must be a ${provider.idDescription}` });
      }
    } else if ((query.sourceId === undefined) === (query.id === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [query.sourceId === undefined ? "sourceId" : "id"],
        message: "give exactly one of sourceId or id",
      });
    } else if (query.id !== undefined) {
      // An id is always end_usr_….
      const id = endUserIdSchema.safeParse(query.id);
      if (!id.success) ctx.addIssue({ code: "custom", path: ["id"], message: id.error.issues[0]!.message });
    }
  })
  .transform((query): LookupKey => {
    if (query.provider) {
      return { provider: query.provider, externalId: linkedProviders[query.provider].idSchema.parse(query.id) };
    }
    return query.sourceId !== undefined ? { sourceId: query.sourceId } : { id: query.id! };
  });
