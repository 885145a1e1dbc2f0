import { z } from "zod";
import { retrieveEndUser } from "@/lib/use-cases/end-users/retrieve";
import { endUserIdSchema, retrieveQuerySchema } from "@/lib/use-cases/end-users/schemas";
import { route } from "@/lib/web/http/route";

export const maxDuration = 30;

export const GET = route(
  { allow: "customer-or-operator", params: z.object({ id: endUserIdSchema }), query: retrieveQuerySchema },
  async ({ actor, params, query }) =>
    Response.json(await retrieveEndUser(actor, params.id, { cacheOnly: query.cache === "only" })),
);
