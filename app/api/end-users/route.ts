import { env } from "@/lib/platform/env";
import { listEndUsers } from "@/lib/use-cases/end-users/list";
import { listQuerySchema } from "@/lib/use-cases/end-users/schemas";
import { createEndUser } from "@/lib/use-cases/onboarding/create-end-user";
import { createEndUserRequestSchema } from "@/lib/use-cases/onboarding/input";
import { route } from "@/lib/web/http/route";

export const maxDuration = 30;

export const GET = route({ allow: "operator", query: listQuerySchema }, async ({ actor, query }) =>
  Response.json(await listEndUsers(actor, query)),
);

// Each attempt may make Conductor calls (a full list when an earlier outcome is unknown).
export const POST = route(
  {
    allow: "customer-or-operator",
    body: createEndUserRequestSchema,
    rateLimit: { scope: "create", perMinute: env.CREATE_RATE_LIMIT_PER_MINUTE },
  },
  async ({ actor, body }) => {
    const { endUser, created } = await createEndUser(actor, body);
    return Response.json({ endUser }, { status: created ? 201 : 200 });
  },
);
