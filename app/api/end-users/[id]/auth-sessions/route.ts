import { z } from "zod";
import { createAuthSession } from "@/lib/use-cases/connection/auth-sessions";
import { emptyBodySchema } from "@/lib/use-cases/connection/schemas";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { route } from "@/lib/web/http/route";
import { budgets, perEndUser } from "@/lib/web/rate-limit/budgets";

export const maxDuration = 30;

/** A Conductor auth session for the end-user's QuickBooks Desktop: open its `authFlowUrl` to connect. */
export const POST = route(
  {
    allow: "customer-or-operator",
    params: z.object({ id: endUserIdSchema }),
    body: emptyBodySchema,
    rateLimit: { ...budgets.authSession, key: ({ params }) => perEndUser(params.id) },
  },
  async ({ request, actor, params }) => {
    const authSession = await createAuthSession(actor, params.id, { appOrigin: publicOrigin(request.headers) });
    return Response.json({ authSession }, { status: 201 });
  },
);
