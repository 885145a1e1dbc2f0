/**
 * Altur and Dify end-users linked to a Conductor end-user: the provider's fields as fetched, when,
 * and by whom. One link per provider per end-user; one end-user per provider id.
 */
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import type { ExternalProvider } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors/app-error";
import { providerNames } from "@/lib/providers/names";
import { recordAudit } from "./audit";

const linkSelect = {
  provider: true,
  externalId: true,
  endUserId: true,
  data: true,
  fetchedAt: true,
  linkedAt: true,
  linkedBy: true,
} satisfies Prisma.ProviderEndUserSelect;

export type ProviderLink = Prisma.ProviderEndUserGetPayload<{ select: typeof linkSelect }>;

export async function listProviderLinks(endUserId: string): Promise<ProviderLink[]> {
  return (await db()).providerEndUser.findMany({ where: { endUserId }, select: linkSelect, orderBy: { provider: "asc" } });
}

export async function findProviderLink(endUserId: string, provider: ExternalProvider): Promise<ProviderLink | null> {
  return (await db()).providerEndUser.findUnique({ where: { endUserId_provider: { endUserId, provider } }, select: linkSelect });
}

/** Links (or re-links, or refreshes) a provider end-user; audited. */
export async function saveProviderLink(input: {
  endUserId: string;
  provider: ExternalProvider;
  externalId: string;
  data: Prisma.InputJsonObject;
  actor: string;
}): Promise<ProviderLink> {
  const { endUserId, provider, externalId, data, actor } = input;
  try {
    return await (await db()).$transaction(async (tx) => {
      const previous = await tx.providerEndUser.findUnique({ where: { endUserId_provider: { endUserId, provider } }, select: { externalId: true } });
      if (previous && previous.externalId !== externalId) {
        await tx.providerEndUser.delete({ where: { endUserId_provider: { endUserId, provider } } });
      }
      const fetchedAt = new Date();
      const link = await tx.providerEndUser.upsert({
        where: { provider_externalId: { provider, externalId } },
        create: { provider, externalId, endUserId, data, fetchedAt, linkedBy: actor },
        update: { data, fetchedAt },
        select: linkSelect,
      });
      if (link.endUserId !== endUserId) throw new AppError("already_linked", `That ${providerNames[provider]} end-user is already linked to another customer.`);
      const refreshed = previous?.externalId === externalId;
      await recordAudit(
        {
          action: refreshed ? "PROVIDER_REFRESHED" : "PROVIDER_LINKED",
          actor,
          endUserId,
          data: { provider, externalId, ...(previous && !refreshed ? { replaced: previous.externalId } : {}) },
        },
        tx,
      );
      return link;
    });
  } catch (error) {
    // Two operators linking the same provider id at once: the unique index decides.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("already_linked", "That end-user was just linked elsewhere.");
    }
    throw error;
  }
}

/** Removes a link; audited. False when there was none. */
export async function deleteProviderLink(endUserId: string, provider: ExternalProvider, actor: string): Promise<boolean> {
  return (await db()).$transaction(async (tx) => {
    const removed = await tx.providerEndUser.deleteMany({ where: { endUserId, provider } });
    if (removed.count === 0) return false;
    await recordAudit({ action: "PROVIDER_UNLINKED", actor, endUserId, data: { provider } }, tx);
    return true;
  });
}
