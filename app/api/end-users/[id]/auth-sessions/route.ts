import { z } from "zod";
import { authSessionSchema } from "@/lib/model/auth-session";
import { createAuthSession } from "@/lib/use-cases/connection/auth-sessions";
import { emptyBodySchema } from "@/lib/use-cases/connection/schemas";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { route } from "@/lib/web/http/route";
import { budgets, perEndUser } from "@/lib/web/rate-limit/budgets";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export const maxDuration = 30;

/** A Conductor auth session for the end-user's QuickBooks Desktop: open its `authFlowUrl` to connect. */
export const POST = route(
  {
    maxDuration,
    allow: "customer-or-operator",
    summary: "Creates a QuickBooks Desktop auth session; open its authFlowUrl on the computer that runs QuickBooks",
    params: z.object({ id: endUserIdSchema }),
    body: emptyBodySchema,
    answers: { 201: { description: "The auth session", schema: z.object({ authSession: authSessionSchema }) } },
    errors: ["end_user_not_found", "offboarding_in_progress", "end_user_deleted"],
    rateLimit: { ...budgets.authSession, key: ({ params }) => perEndUser(params.id) },
  },
  async ({ request, actor, params, reply, budget }) => {
    const appOrigin = publicOrigin(request.headers);
    const authSession = await createAuthSession(actor, params.id, { appOrigin, budget });
    return reply(201, { authSession });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
