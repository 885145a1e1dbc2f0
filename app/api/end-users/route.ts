import { listCachedEndUsers, publicEndUser } from "@/lib/data/end-users";
import { listQuerySchema } from "@/lib/end-users/schemas";
import { actorId, route } from "@/lib/http/route";
import { createEndUserRequestSchema, creationInputFor } from "@/lib/onboarding/input";
import { createEndUserOnce } from "@/lib/onboarding/create-once";

export const maxDuration = 30;

export const GET = route({ allow: "operator", query: listQuerySchema }, async ({ query }) => {
  const page = await listCachedEndUsers(query);
  return Response.json({ data: page.data.map(publicEndUser), nextCursor: page.nextCursor });
});

export const POST = route({ allow: "customer-or-operator", body: createEndUserRequestSchema }, async ({ actor, body }) => {
  const input = creationInputFor(actor, body);
  const { endUser, created } = await createEndUserOnce(input, actorId(actor));
  return Response.json({ endUser }, { status: created ? 201 : 200 });
});
