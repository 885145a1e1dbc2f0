"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { linkedProviderSchema, providerName, type LinkedProvider } from "@/lib/model/providers";
import { text } from "@/lib/model/text";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { AppError } from "@/lib/platform/errors/app-error";
import { formatTimestamp } from "@/lib/platform/format";
import {
  externalIdSchema,
  linkAccount,
  refreshLinkedAccount,
  unlinkAccount,
} from "@/lib/use-cases/linked-accounts/link";
import { offboardEndUser } from "@/lib/use-cases/offboarding/offboard";
import { formAction } from "@/lib/web/actions/form-action";
import { revalidateOnUpstreamFailure } from "@/lib/web/actions/revalidate-on-failure";

/** The longest confirmation read: company names from Conductor have no bound of ours. */
const COMPANY_NAME_MAX_TYPED = 10_000;

const target = z.strictObject({ endUserId: endUserIdSchema, provider: linkedProviderSchema });
const providerId = externalIdSchema();
const linkInput = target.extend({ externalId: providerId });

/**
 * Refusals that mean the page is out of date: another operator changed the link or offboarded the
 * end-user (or is offboarding it), or the provider lost it.
 */
const CARD_OUT_OF_DATE = new Set([
  "link_changed",
  "not_found",
  "provider_end_user_not_found",
  "end_user_deleted",
  "offboarding_in_progress",
]);

/** The page shows what stands now, beside the refusal. */
const showingWhatStands =
  (endUserId: string) =>
  (error: unknown): never => {
    if (error instanceof AppError && CARD_OUT_OF_DATE.has(error.code)) revalidatePath(`/end-users/${endUserId}`);
    throw error;
  };

const matchesNone = (name: string, detail?: string) =>
  `matches no ${name} end-user${detail ? ` (${name} answered “${detail}”)` : ""}`;

/** An id the provider has no end-user with is what to correct: told beside the field, as a malformed one is. */
const besideTheId =
  (provider: LinkedProvider) =>
  (error: unknown): never => {
    if (error instanceof AppError && error.code === "provider_end_user_not_found")
      throw new AppError(error.code, error.message, {
        ...error.details,
        fields: { externalId: [matchesNone(providerName(provider), error.details.upstreamDetail)] },
      });
    throw error;
  };

/** The form is offered where nothing is linked: it links there only, never over another operator's link. */
export const linkProviderAction = formAction(
  { name: "linkProvider", allow: ["operator"], schema: linkInput },
  async ({ endUserId, provider, externalId }, viewer) => {
    const link = await linkAccount(viewer, endUserId, provider, externalId, { expectedCurrent: null })
      .catch(showingWhatStands(endUserId))
      .catch(besideTheId(provider));
    revalidatePath(`/end-users/${endUserId}`);
    return `Linked ${providerName(provider)} end-user ${link.externalId}.`;
  },
);

/** Refreshes the id the page showed, not one linked since. */
export const refreshProviderAction = formAction(
  { name: "refreshProvider", allow: ["operator"], schema: target.extend({ externalId: providerId }) },
  async ({ endUserId, provider, externalId }, viewer) => {
    await refreshLinkedAccount(viewer, endUserId, provider, externalId).catch(showingWhatStands(endUserId));
    revalidatePath(`/end-users/${endUserId}`);
    return `Refreshed from ${providerName(provider)}.`;
  },
);

/** Unlinks the id the operator confirmed, not one linked since. */
export const unlinkProviderAction = formAction(
  { name: "unlinkProvider", allow: ["operator"], schema: target.extend({ externalId: providerId }) },
  async ({ endUserId, provider, externalId }, viewer) => {
    await unlinkAccount(viewer, endUserId, provider, externalId).catch(showingWhatStands(endUserId));
    revalidatePath(`/end-users/${endUserId}`);
    return `Unlinked the ${providerName(provider)} end-user.`;
  },
);

/** Offboard, confirmed by typing the company name (checked by the use case against the record). */
export const offboardAction = formAction(
  {
    name: "offboard",
    allow: ["operator"],
    schema: z.strictObject({
      endUserId: endUserIdSchema,
      confirmation: text().trim().max(COMPANY_NAME_MAX_TYPED, `must be at most ${COMPANY_NAME_MAX_TYPED} characters`),
    }),
  },
  async ({ endUserId, confirmation }, viewer) => {
    // Offboarded by another operator meanwhile: the page becomes the record of it.
    const { deletedAt } = await offboardEndUser(viewer, endUserId, { confirmation })
      .catch(showingWhatStands(endUserId))
      .catch(revalidateOnUpstreamFailure(`/end-users/${endUserId}`, "/end-users"));
    revalidatePath(`/end-users/${endUserId}`);
    revalidatePath("/end-users");
    return `Offboarded on ${formatTimestamp(deletedAt)}.`;
  },
);
