import { lookupEndUser } from "@/lib/data/lookup";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { lookupQuerySchema } from "@/lib/end-users/lookup-query";
import { route } from "@/lib/http/route";

export const GET = route(
  { allow: "service-or-operator", query: lookupQuerySchema, rateLimit: { scope: "lookup", perMinute: env.LOOKUP_RATE_LIMIT_PER_MINUTE } },
  async ({ query }) => {
    const mapping = await lookupEndUser(query);
    if (!mapping) throw new AppError("end_user_not_found", "No cached end-user matches.");
    return Response.json(mapping);
  },
);
