import { z } from "zod";
import { connectionSchema } from "@/lib/model/connection";
import { getConnection } from "@/lib/use-cases/connection/check";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { route } from "@/lib/web/http/route";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

/** The cached connection (pages poll it); never calls Conductor. */
export const GET = route(
  {
    allow: "customer-or-operator",
    summary: "The cached QuickBooks Desktop connection status",
    params: z.object({ id: endUserIdSchema }),
    answers: { 200: { description: "The connection", schema: z.object({ connection: connectionSchema }) } },
    errors: ["end_user_not_found", "end_user_deleted"],
  },
  async ({ actor, params, reply }) => reply(200, { connection: await getConnection(actor, params.id) }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
