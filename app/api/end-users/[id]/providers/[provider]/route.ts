import { z } from "zod";
import { findProviderLink } from "@/lib/data/provider-links";
import { endUserIdSchema } from "@/lib/end-users/schemas";
import { linkProvider, providerSchema, unlinkProvider } from "@/lib/end-users/provider-links";
import { AppError } from "@/lib/errors/app-error";
import { actorId, route } from "@/lib/http/route";

export const maxDuration = 30;

const params = z.object({ id: endUserIdSchema, provider: providerSchema });

/** The cached link. */
export const GET = route({ allow: "operator", params }, async ({ params }) => {
  const link = await findProviderLink(params.id, params.provider);
  if (!link) throw new AppError("not_found", "Nothing is linked for this provider.");
  return Response.json({ link });
});

/** Links (or re-links, or refreshes) the provider's end-user `externalId`. */
export const PUT = route(
  { allow: "operator", params, body: z.strictObject({ externalId: z.string({ error: "must be text" }).max(100, "must be at most 100 characters") }) },
  async ({ actor, params, body }) => Response.json({ link: await linkProvider(params.id, params.provider, body.externalId, actorId(actor)) }),
);

export const DELETE = route({ allow: "operator", params }, async ({ actor, params }) => {
  await unlinkProvider(params.id, params.provider, actorId(actor));
  return new Response(null, { status: 204 });
});
