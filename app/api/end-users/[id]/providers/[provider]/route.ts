import { z } from "zod";
import { linkedAccountSchema } from "@/lib/model/linked-identity";
import { linkedProviderNames, linkedProviderSchema } from "@/lib/model/providers";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import {
  getLinkedAccount,
  linkAccount,
  linkRequestSchema,
  unlinkAccount,
  unlinkQuerySchema,
} from "@/lib/use-cases/linked-accounts/link";
import { route } from "@/lib/web/http/route";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export const maxDuration = 30;

const params = z.object({ id: endUserIdSchema, provider: linkedProviderSchema });
const linked = { 200: { description: "The link", schema: z.object({ link: linkedAccountSchema }) } };

/** The cached link. */
export const GET = route(
  {
    maxDuration,
    allow: "operator",
    summary: `The cached ${linkedProviderNames} link`,
    params,
    answers: linked,
    errors: ["end_user_not_found", "not_found", "end_user_deleted"],
  },
  async ({ actor, params, reply }) => reply(200, { link: await getLinkedAccount(actor, params.id, params.provider) }),
);

/** Links (or re-links, or refreshes) the provider's end-user `externalId`. */
export const PUT = route(
  {
    maxDuration,
    allow: "operator",
    summary: `Links (or refreshes) an ${linkedProviderNames} end-user`,
    params,
    body: linkRequestSchema,
    answers: linked,
    errors: [
      "end_user_not_found",
      "provider_end_user_not_found",
      "not_found",
      "already_linked",
      "offboarding_in_progress",
      "end_user_deleted",
    ],
  },
  async ({ actor, params, body, reply }) =>
    reply(200, { link: await linkAccount(actor, params.id, params.provider, body.externalId) }),
);

export const DELETE = route(
  {
    maxDuration,
    allow: "operator",
    summary: `Unlinks the ${linkedProviderNames} end-user`,
    params,
    query: unlinkQuerySchema,
    answers: { 204: { description: "Unlinked" } },
    errors: ["end_user_not_found", "not_found", "link_changed", "end_user_deleted"],
  },
  async ({ actor, params, query, reply }) => {
    await unlinkAccount(actor, params.id, params.provider, query.externalId);
    return reply(204, null);
  },
);

export const { POST, PATCH, OPTIONS } = otherMethods("GET", "PUT", "DELETE");
