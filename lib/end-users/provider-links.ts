/**
 * Linking a customer's Altur and Dify end-users to their Conductor end-user: ids are validated
 * before any call, the provider is asked for the end-user, and what it answered is cached.
 */
import "server-only";
import { z } from "zod";
import { retrieveAlturEndUser } from "@/lib/altur/client";
import { alturEndUserSchema, alturIdSchema } from "@/lib/altur/schemas";
import { findEndUserById } from "@/lib/data/end-users";
import { deleteProviderLink, findProviderLink, saveProviderLink, type ProviderLink } from "@/lib/data/provider-links";
import { ExternalProvider } from "@/lib/db/generated/enums";
import { retrieveDifyEndUser } from "@/lib/dify/client";
import { difyEndUserSchema, difyIdSchema } from "@/lib/dify/schemas";
import { AppError } from "@/lib/errors/app-error";
import { parseOrThrow } from "@/lib/http/validation";
import { providerNames } from "@/lib/providers/names";

export const providerSchema = z.enum(ExternalProvider, { error: 'must be "altur" or "dify"' });

const providers = {
  altur: { idSchema: alturIdSchema, dataSchema: alturEndUserSchema, retrieve: retrieveAlturEndUser },
  dify: { idSchema: difyIdSchema, dataSchema: difyEndUserSchema, retrieve: retrieveDifyEndUser },
} as const;

async function requireEndUser(endUserId: string) {
  const endUser = await findEndUserById(endUserId);
  if (!endUser) throw new AppError("end_user_not_found");
  return endUser;
}

/** Links (or refreshes) `externalId` of `provider` to the Conductor end-user. */
export async function linkProvider(endUserId: string, provider: ExternalProvider, externalId: string, actor: string): Promise<ProviderLink> {
  const id = parseOrThrow(z.object({ externalId: providers[provider].idSchema }), { externalId }, "id").externalId;
  await requireEndUser(endUserId);
  const data = await providers[provider].retrieve(id);
  return saveProviderLink({ endUserId, provider, externalId: id, data, actor });
}

/** Asks the provider again for an existing link. */
export async function refreshProviderLink(endUserId: string, provider: ExternalProvider, actor: string): Promise<ProviderLink> {
  const link = await findProviderLink(endUserId, provider);
  if (!link) throw new AppError("not_found", `No ${providerNames[provider]} end-user is linked.`);
  return linkProvider(endUserId, provider, link.externalId, actor);
}

export async function unlinkProvider(endUserId: string, provider: ExternalProvider, actor: string): Promise<void> {
  await requireEndUser(endUserId);
  if (!(await deleteProviderLink(endUserId, provider, actor))) {
    throw new AppError("not_found", `No ${providerNames[provider]} end-user is linked.`);
  }
}

/** A link's cached fields, read back through the provider's schema. */
export function linkDetails(link: ProviderLink) {
  return link.provider === "altur"
    ? { provider: "altur" as const, endUser: providers.altur.dataSchema.parse(link.data) }
    : { provider: "dify" as const, endUser: providers.dify.dataSchema.parse(link.data) };
}
