import { z } from "zod";
import { retrieveEndUser } from "@/lib/use-cases/end-users/retrieve";
import { endUserIdSchema, retrieveQuerySchema, retrievedEndUserSchema } from "@/lib/use-cases/end-users/schemas";
import { offboardEndUser } from "@/lib/use-cases/offboarding/offboard";
import { offboardedSchema } from "@/lib/use-cases/offboarding/schemas";
import { route } from "@/lib/web/http/route";
import { conductorReadBudget } from "@/lib/web/rate-limit/budgets";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export const maxDuration = 30;

const params = z.object({ id: endUserIdSchema });

export const GET = route(
  {
    maxDuration,
    allow: "customer-or-operator",
    summary:
      "Retrieves the end-user from Conductor (or, with maxAge, from a cache synced that recently); the cached copy when Conductor fails or the caller's budget of Conductor reads is spent",
    params,
    query: retrieveQuerySchema,
    answers: { 200: { description: "The end-user, and whether it is fresh", schema: retrievedEndUserSchema } },
    errors: ["end_user_not_found", "end_user_deleted"],
    conditionalBudget: "The caller's budget of Conductor reads is spent and nothing is cached to answer with",
  },
  async ({ actor, params, query, reply }) =>
    reply(
      200,
      await retrieveEndUser(
        actor,
        params.id,
        query.cache === "only"
          ? { cacheOnly: true, freshSeconds: query.maxAge }
          : { budget: conductorReadBudget(actor), freshSeconds: query.maxAge ?? 0 },
      ),
    ),
);

/** Offboards: deletes the end-user in Conductor and keeps our row as a tombstone. */
export const DELETE = route(
  {
    maxDuration,
    allow: "operator",
    summary: "Offboards: deletes the end-user in Conductor and keeps a tombstone",
    params,
    answers: { 200: { description: "Offboarded", schema: z.object({ deleted: offboardedSchema }) } },
    errors: ["end_user_not_found", "offboarding_in_progress", "end_user_deleted"],
  },
  async ({ actor, params, reply }) => {
    const { id, sourceId, deletedAt } = await offboardEndUser(actor, params.id);
    return reply(200, { deleted: { id, sourceId, deletedAt } });
  },
);

export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");
