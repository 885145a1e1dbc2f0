import { endUserMappingSchema } from "@/lib/model/end-user-mapping";
import { env } from "@/lib/platform/env";
import { lookupEndUser } from "@/lib/use-cases/lookup/lookup";
import { lookupQuerySchema } from "@/lib/use-cases/lookup/query";
import { route } from "@/lib/web/http/route";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export const GET = route(
  {
    allow: "service-or-operator",
    summary: "Which Conductor id has this sourceId, or the reverse (or a linked Altur or Dify id), from the cache",
    query: lookupQuerySchema,
    answers: { 200: { description: "The mapping and its connection status", schema: endUserMappingSchema } },
    errors: ["end_user_not_found", "end_user_deleted"],
    rateLimit: { scope: "lookup", perMinute: env.LOOKUP_RATE_LIMIT_PER_MINUTE },
  },
  async ({ actor, query, reply }) => reply(200, await lookupEndUser(actor, query)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
