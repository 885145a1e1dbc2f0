import { z } from "zod";
import { getConnection } from "@/lib/use-cases/connection/check";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { route } from "@/lib/web/http/route";

/** The cached connection (pages poll it); never calls Conductor. */
export const GET = route(
  { allow: "customer-or-operator", params: z.object({ id: endUserIdSchema }) },
  async ({ actor, params }) =>
    Response.json({ connection: await getConnection(actor, params.id) }, { headers: { "Cache-Control": "no-store" } }),
);
