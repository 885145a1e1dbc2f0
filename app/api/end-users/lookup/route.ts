import { env } from "@/lib/platform/env";
import { lookupEndUser } from "@/lib/use-cases/lookup/lookup";
import { lookupQuerySchema } from "@/lib/use-cases/lookup/query";
import { route } from "@/lib/web/http/route";

export const GET = route(
  {
    allow: "service-or-operator",
    query: lookupQuerySchema,
    rateLimit: { scope: "lookup", perMinute: env.LOOKUP_RATE_LIMIT_PER_MINUTE },
  },
  async ({ query }) => Response.json(await lookupEndUser(query)),
);
