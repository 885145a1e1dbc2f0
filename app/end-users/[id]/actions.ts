"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/actions/form-action";
import { endUserIdSchema } from "@/lib/end-users/schemas";
import { linkProvider, providerSchema, refreshProviderLink, unlinkProvider } from "@/lib/end-users/provider-links";
import { providerNames } from "@/lib/providers/names";

const target = z.strictObject({ endUserId: endUserIdSchema, provider: providerSchema });

export const linkProviderAction = formAction(
  { name: "linkProvider", allow: ["operator"], schema: target.extend({ externalId: z.string().trim().max(100, "must be at most 100 characters") }) },
  async ({ endUserId, provider, externalId }, viewer) => {
    const link = await linkProvider(endUserId, provider, externalId, viewer.id);
    revalidatePath(`/end-users/${endUserId}`);
    return `Linked ${providerNames[provider]} end-user ${link.externalId}.`;
  },
);

export const refreshProviderAction = formAction({ name: "refreshProvider", allow: ["operator"], schema: target }, async ({ endUserId, provider }, viewer) => {
  await refreshProviderLink(endUserId, provider, viewer.id);
  revalidatePath(`/end-users/${endUserId}`);
  return `Refreshed from ${providerNames[provider]}.`;
});

export const unlinkProviderAction = formAction({ name: "unlinkProvider", allow: ["operator"], schema: target }, async ({ endUserId, provider }, viewer) => {
  await unlinkProvider(endUserId, provider, viewer.id);
  revalidatePath(`/end-users/${endUserId}`);
  return `Unlinked the ${providerNames[provider]} end-user.`;
});
