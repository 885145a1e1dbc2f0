import { z } from "zod";
import { sendConnectLink } from "@/lib/use-cases/connection/auth-sessions";
import { emptyBodySchema, sentLinkSchema } from "@/lib/use-cases/connection/schemas";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { route } from "@/lib/web/http/route";
import { budgets, perEndUser } from "@/lib/web/rate-limit/budgets";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export const maxDuration = 30;

/** Emails the end-user's address a fresh QuickBooks Desktop setup link, for the computer that runs QuickBooks. */
export const POST = route(
  {
    maxDuration,
    allow: "customer-or-operator",
    summary: "Emails the end-user a fresh QuickBooks Desktop setup link",
    params: z.object({ id: endUserIdSchema }),
    body: emptyBodySchema,
    answers: { 202: { description: "The link was sent", schema: sentLinkSchema } },
    errors: [
      "end_user_not_found",
      "offboarding_in_progress",
      "email_not_deliverable",
      "mail_refused",
      "end_user_deleted",
    ],
    rateLimit: { ...budgets.connectLink, key: ({ params }) => perEndUser(params.id) },
  },
  async ({ request, actor, params, reply, budget }) =>
    reply(202, await sendConnectLink(actor, params.id, { appOrigin: publicOrigin(request.headers), budget })),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
