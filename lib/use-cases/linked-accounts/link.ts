/**
 * Linking a customer's Altur and Dify end-users to their Conductor end-user: ids are validated
 * before any call, the provider is asked for the end-user, and the identity it answered is cached.
 */
import "server-only";
import { z } from "zod";
import { GIVEN_TWICE, text } from "@/lib/model/text";
import { findEndUserById } from "@/lib/data/end-users";
import {
  alreadyLinked,
  deleteLinkedAccount,
  findLinkHolder,
  findLinkedAccount,
  listFormerLinks,
  listLinkedAccounts,
  markLinkMissing,
  saveLinkedAccount,
  type FormerLink,
} from "@/lib/data/linked-accounts";
import { auditActor, type Actor } from "@/lib/model/actor";
import type { LinkedAccount } from "@/lib/model/linked-identity";
import { providerName, type LinkedProvider } from "@/lib/model/providers";
import { AppError } from "@/lib/platform/errors/app-error";
import { parseOrThrow } from "@/lib/platform/errors/validation";
import { assertOperator } from "@/lib/use-cases/access";
import { offboarded } from "@/lib/use-cases/end-users/offboarded";
import { linkedProviders, providerIdFormats } from "@/lib/wiring/linked-providers";

/** A live end-user: an offboarded one keeps no links and takes no new ones. */
async function requireEndUser(endUserId: string) {
  const endUser = await findEndUserById(endUserId);
  if (!endUser) throw new AppError("end_user_not_found");
  if (endUser.deletedAt) throw offboarded(endUser.deletedAt);
  return endUser;
}

const nothingLinked = (provider: LinkedProvider) =>
  new AppError("not_found", `No ${linkedProviders[provider].name} end-user is linked.`);

/** Another operator linked, re-linked or unlinked meanwhile: what stands now, and that nothing was done. */
function linkChanged(provider: LinkedProvider, current: string | null, undone: "linked" | "refreshed" | "unlinked") {
  const name = linkedProviders[provider].name;
  const now = current
    ? `${name} end-user ${current} is linked to this customer now`
    : `no ${name} end-user is linked now`;
  return new AppError("link_changed", `The link changed meanwhile: ${now}. Nothing was ${undone}.`);
}

/**
 * The provider's end-user id as sent; its format is checked per provider. `typeError` for anything
 * but text: in a query, that is the parameter given twice.
 */
export const externalIdSchema = (typeError?: string) =>
  text(typeError)
    .trim()
    .min(1, "must not be empty")
    .max(100, "must be at most 100 characters")
    .meta({ description: `The provider's end-user id (${providerIdFormats})` });

/** PUT /api/end-users/[id]/providers/[provider]'s body. */
export const linkRequestSchema = z.strictObject({ externalId: externalIdSchema() });

/** DELETE's query: `externalId` unlinks only that id (409 link_changed when another is linked now). */
export const unlinkQuerySchema = z.strictObject({ externalId: externalIdSchema(GIVEN_TWICE).optional() });

/** The provider's id, in its canonical form (400 naming `externalId` when it has not the provider's format). */
const parseProviderId = (provider: LinkedProvider, externalId: string): string =>
  parseOrThrow(
    z.object({ externalId: linkedProviders[provider].idSchema }),
    { externalId },
    `${providerName(provider)} end-user id`,
  ).externalId;

/** PUT /api/end-users/[id]/providers/[provider]: links (or re-links, or refreshes) `externalId`. */
export async function linkAccount(
  actor: Actor,
  endUserId: string,
  provider: LinkedProvider,
  externalId: string,
  options: { refreshOnly?: boolean; expectedCurrent?: string | null } = {},
): Promise<LinkedAccount> {
  assertOperator(actor);
  const entry = linkedProviders[provider];
  const id = parseProviderId(provider, externalId);
  await requireEndUser(endUserId);
  // Changed since the page was read: said before the provider is asked (the save checks again).
  if (options.expectedCurrent !== undefined) {
    const current = await currentLinkId(endUserId, provider);
    if (current !== options.expectedCurrent && current !== id) throw linkChanged(provider, current, "linked");
  }
  // Known to be another customer's: the provider need not be asked (the save checks again).
  const holder = await findLinkHolder(provider, id);
  if (holder && holder.id !== endUserId) throw alreadyLinked(provider, holder);
  const identity = await entry.retrieve(id).catch(async (error: unknown) => {
    // Gone at the provider while linked here: the link says so, for the page and the trail.
    if (error instanceof AppError && error.code === "provider_end_user_not_found" && holder?.id === endUserId)
      await markLinkMissing(endUserId, provider, id, auditActor(actor));
    throw error;
  });
  const outcome = await saveLinkedAccount(endUserId, identity, auditActor(actor), options);
  if (outcome.kind === "offboarded") throw offboarded(outcome.deletedAt);
  if (outcome.kind === "unknown_end_user") throw new AppError("end_user_not_found");
  if (outcome.kind === "offboarding") throw new AppError("offboarding_in_progress");
  if (outcome.kind === "not_linked") throw nothingLinked(provider);
  if (outcome.kind === "changed") throw linkChanged(provider, outcome.current, "linked");
  return outcome.account;
}

const currentLinkId = async (endUserId: string, provider: LinkedProvider) =>
  (await findLinkedAccount(endUserId, provider))?.externalId ?? null;

async function existingLink(endUserId: string, provider: LinkedProvider): Promise<LinkedAccount> {
  const link = await findLinkedAccount(endUserId, provider);
  if (!link) throw nothingLinked(provider);
  return link;
}

/** Asks the provider again for an existing link (`externalId`'s only, when given: the one a page showed). */
export async function refreshLinkedAccount(
  actor: Actor,
  endUserId: string,
  provider: LinkedProvider,
  externalId?: string,
): Promise<LinkedAccount> {
  assertOperator(actor);
  const shown = externalId === undefined ? undefined : parseProviderId(provider, externalId);
  const current = await currentLinkId(endUserId, provider);
  if (shown !== undefined && current !== shown) throw linkChanged(provider, current, "refreshed");
  if (current === null) throw nothingLinked(provider);
  // Unlinked or re-linked while the provider was asked: that change stands.
  return linkAccount(actor, endUserId, provider, current, { refreshOnly: true });
}

/** DELETE /api/end-users/[id]/providers/[provider]: the link, or only `externalId`'s when given. */
export async function unlinkAccount(
  actor: Actor,
  endUserId: string,
  provider: LinkedProvider,
  externalId?: string,
): Promise<void> {
  assertOperator(actor);
  const id = externalId === undefined ? undefined : parseProviderId(provider, externalId);
  await requireEndUser(endUserId);
  const outcome = await deleteLinkedAccount(endUserId, provider, auditActor(actor), id);
  if (outcome.removed) return;
  // Asked to unlink an id no longer there: what stands now is the answer, "none" included.
  throw outcome.current || id ? linkChanged(provider, outcome.current, "unlinked") : nothingLinked(provider);
}

/** GET /api/end-users/[id]/providers/[provider]: the cached link. */
export async function getLinkedAccount(
  actor: Actor,
  endUserId: string,
  provider: LinkedProvider,
): Promise<LinkedAccount> {
  assertOperator(actor);
  // As PUT and DELETE answer: an unknown end-user is not "nothing linked", an offboarded one is gone.
  await requireEndUser(endUserId);
  return existingLink(endUserId, provider);
}

/** Every linked account of an end-user, for its detail page. */
export async function linkedAccountsOf(actor: Actor, endUserId: string): Promise<LinkedAccount[]> {
  assertOperator(actor);
  return listLinkedAccounts(endUserId);
}

/**
 * What the customer's former end-users were linked to until their offboarding, and nobody has
 * linked since: the operator may link them again to the customer's end-user now.
 */
export async function formerLinksOf(actor: Actor, sourceId: string): Promise<FormerLink[]> {
  assertOperator(actor);
  return listFormerLinks(sourceId);
}
