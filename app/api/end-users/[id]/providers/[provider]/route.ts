import { z } from "zod";
import { linkedProviderSchema } from "@/lib/model/providers";
import { text } from "@/lib/model/text";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { getLinkedAccount, linkAccount, unlinkAccount } from "@/lib/use-cases/linked-accounts/link";
import { route } from "@/lib/web/http/route";

export const maxDuration = 30;

const params = z.object({ id: endUserIdSchema, provider: linkedProviderSchema });
const body = z.strictObject({
  externalId: text().max(100, "must be at most 100 characters"),
});

/** The cached link. */
export const GET = route({ allow: "operator", params }, async ({ actor, params }) =>
  Response.json({ link: await getLinkedAccount(actor, params.id, params.provider) }),
);

/** Links (or re-links, or refreshes) the provider's end-user `externalId`. */
export const PUT = route({ allow: "operator", params, body }, async ({ actor, params, body }) =>
  Response.json({ link: await linkAccount(actor, params.id, params.provider, body.externalId) }),
);

export const DELETE = route({ allow: "operator", params }, async ({ actor, params }) => {
  await unlinkAccount(actor, params.id, params.provider);
  return new Response(null, { status: 204 });
});
