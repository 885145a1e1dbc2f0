import { z } from "zod";
import { connectionSchema } from "@/lib/model/connection";
import { checkConnection } from "@/lib/use-cases/connection/check";
import { emptyBodySchema } from "@/lib/use-cases/connection/schemas";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { route } from "@/lib/web/http/route";
import { budgets, perEndUser } from "@/lib/web/rate-limit/budgets";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

// Conductor waits up to 60 s for QuickBooks Desktop to answer, then the cache is refreshed.
export const maxDuration = 90;

/** Runs Conductor's QuickBooks Desktop health check now and stores what it found. */
export const POST = route(
  {
    maxDuration,
    allow: "customer-or-operator",
    summary: "Runs Conductor's QuickBooks Desktop health check now and stores the outcome",
    params: z.object({ id: endUserIdSchema }),
    body: emptyBodySchema,
    answers: { 200: { description: "The connection", schema: z.object({ connection: connectionSchema }) } },
    errors: ["end_user_not_found", "offboarding_in_progress", "end_user_deleted"],
    rateLimit: { ...budgets.connectionCheck, key: ({ params }) => perEndUser(params.id) },
  },
  async ({ actor, params, reply, budget }) => {
    const { connection } = await checkConnection(actor, params.id, { budget });
    return reply(200, { connection });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
