import { z } from "zod";
import { endUserIdSchema, retrieveQuerySchema } from "@/lib/end-users/schemas";
import { retrieveForReader } from "@/lib/end-users/retrieve";
import { publicEndUser } from "@/lib/data/end-users";
import { route } from "@/lib/http/route";

export const maxDuration = 30;

export const GET = route(
  { allow: "customer-or-operator", params: z.object({ id: endUserIdSchema }), query: retrieveQuerySchema },
  async ({ actor, params, query }) => {
    const reader = actor.kind === "customer" ? { role: "customer" as const, userId: actor.viewer.id } : { role: "operator" as const };
    const { endUser, ...rest } = await retrieveForReader(params.id, reader, { cacheOnly: query.cache === "only" });
    return Response.json({ endUser: publicEndUser(endUser), ...rest });
  },
);
