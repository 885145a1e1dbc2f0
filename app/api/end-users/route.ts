import { listCachedEndUsers, publicEndUser } from "@/lib/data/end-users";
import { env } from "@/lib/env";
import { listQuerySchema } from "@/lib/end-users/schemas";
import { actorId, route } from "@/lib/http/route";
import { createEndUserRequestSchema, creationInputFor } from "@/lib/onboarding/input";
import { createEndUserOnce } from "@/lib/onboarding/create-once";

export const maxDuration = 30;

export const GET = route({ allow: "operator", query: listQuerySchema }, async ({ query }) => {
  const page = await listCachedEndUsers(query);
  return Response.json({ data: page.data.map(publicEndUser), nextCursor: page.nextCursor });
});

// Each attempt may make Conductor calls (a full list when an earlier outcome is unknown).
export const POST = route(
  { allow: "customer-or-operator", body: createEndUserRequestSchema, rateLimit: { scope: "create", perMinute: env.CREATE_RATE_LIMIT_PER_MINUTE } },
  async ({ actor, body }) => {
    const input = creationInputFor(actor, body);
    const { endUser, created } = await createEndUserOnce(input, actorId(actor));
    return Response.json({ endUser }, { status: created ? 201 : 200 });
  },
);
