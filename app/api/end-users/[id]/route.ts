import { z } from "zod";
import { retrieveEndUser } from "@/lib/use-cases/end-users/retrieve";
import { endUserIdSchema, retrieveQuerySchema } from "@/lib/use-cases/end-users/schemas";
import { offboardEndUser } from "@/lib/use-cases/offboarding/offboard";
import { route } from "@/lib/web/http/route";
import { budgets, spendPerCaller } from "@/lib/web/rate-limit/budgets";

export const maxDuration = 30;

const params = z.object({ id: endUserIdSchema });

export const GET = route(
  { allow: "customer-or-operator", params, query: retrieveQuerySchema },
  async ({ actor, params, query }) =>
    Response.json(
      await retrieveEndUser(
        actor,
        params.id,
        query.cache === "only" ? { cacheOnly: true } : { budget: () => spendPerCaller(budgets.conductorRead, actor) },
      ),
    ),
);

/** Offboards: deletes the end-user in Conductor and keeps our row as a tombstone. */
export const DELETE = route({ allow: "operator", params }, async ({ actor, params }) => {
  const { id, sourceId, deletedAt } = await offboardEndUser(actor, params.id);
  return Response.json({ deleted: { id, sourceId, deletedAt } });
});
