import { z } from "zod";
import { sendConnectLink } from "@/lib/use-cases/connection/auth-sessions";
import { emptyBodySchema } from "@/lib/use-cases/connection/schemas";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { route } from "@/lib/web/http/route";
import { budgets, perEndUser } from "@/lib/web/rate-limit/budgets";

export const maxDuration = 30;

/** Emails the end-user's address a fresh QuickBooks Desktop setup link, for the computer that runs QuickBooks. */
export const POST = route(
  {
    allow: "customer-or-operator",
    params: z.object({ id: endUserIdSchema }),
    body: emptyBodySchema,
    rateLimit: { ...budgets.connectLink, key: ({ params }) => perEndUser(params.id) },
  },
  async ({ request, actor, params }) => {
    const sent = await sendConnectLink(actor, params.id, { appOrigin: publicOrigin(request.headers) });
    return Response.json(sent, { status: 202 });
  },
);
