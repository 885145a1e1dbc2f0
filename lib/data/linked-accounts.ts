/**
 * Altur and Dify end-users linked to a Conductor end-user: the identity as last fetched, when,
 * and by whom. One link per provider per end-user; one end-user per provider id.
 */
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import type { ExternalProvider } from "@/lib/db/generated/enums";
import type { LinkedAccount, LinkedIdentity } from "@/lib/model/linked-identity";
import { providerName, type LinkedProvider } from "@/lib/model/providers";
import { AppError } from "@/lib/platform/errors/app-error";
import { recordAudit } from "./audit";

// The database's enum and the model's provider list must name the same providers.
const providersMatch: [LinkedProvider] extends [ExternalProvider]
  ? [ExternalProvider] extends [LinkedProvider]
    ? true
    : false
  : false = true;
void providersMatch;

/** The identity as the provider answered it: what a refresh may find changed, as the trail records it. */
const identityColumns = {
  displayName: true,
  externalUserId: true,
  channel: true,
  note: true,
  anonymous: true,
  providerCreatedAt: true,
} as const satisfies Prisma.ProviderEndUserSelect;

const linkSelect = {
  provider: true,
  externalId: true,
  endUserId: true,
  ...identityColumns,
  fetchedAt: true,
  missingSince: true,
  linkedAt: true,
  linkedBy: true,
} satisfies Prisma.ProviderEndUserSelect;

type Row = Prisma.ProviderEndUserGetPayload<{ select: typeof linkSelect }>;

const toAccount = ({ providerCreatedAt, ...row }: Row): LinkedAccount => ({ ...row, createdAt: providerCreatedAt });

type IdentityColumns = Prisma.ProviderEndUserGetPayload<{ select: typeof identityColumns }>;

const comparable = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** Each field whose value the provider now answers differently: `{from, to}`, for the trail. */
function changesBetween(before: IdentityColumns, after: IdentityColumns) {
  const changed = Object.keys(identityColumns)
    .map((field) => field as keyof IdentityColumns)
    .filter((field) => comparable(before[field]) !== comparable(after[field]))
    .map((field) => [field, { from: comparable(before[field]), to: comparable(after[field]) }]);
  return changed.length ? { changed: Object.fromEntries(changed) } : {};
}

const columns = (identity: LinkedIdentity): IdentityColumns => ({
  displayName: identity.displayName,
  externalUserId: identity.externalUserId,
  channel: identity.channel,
  note: identity.note,
  anonymous: identity.anonymous,
  providerCreatedAt: identity.createdAt,
});

export async function listLinkedAccounts(endUserId: string): Promise<LinkedAccount[]> {
  const rows = await (
    await db()
  ).providerEndUser.findMany({ where: { endUserId }, select: linkSelect, orderBy: { provider: "asc" } });
  return rows.map(toAccount);
}

export async function findLinkedAccount(endUserId: string, provider: LinkedProvider): Promise<LinkedAccount | null> {
  const row = await (
    await db()
  ).providerEndUser.findUnique({
    where: { endUserId_provider: { endUserId, provider } },
    select: linkSelect,
  });
  return row && toAccount(row);
}

/** The end-user holding a link: the customer an operator is told of. */
export type LinkHolder = { id: string; companyName: string };

/** Said to operators, the only ones who link: which customer holds the link, so it can be opened. */
export const alreadyLinked = (provider: LinkedProvider, holder: LinkHolder) =>
  new AppError(
    "already_linked",
    `That ${providerName(provider)} end-user is already linked to another customer: ${holder.companyName} (end-user ${holder.id}).`,
  );

const holderSelect = { endUser: { select: { id: true, companyName: true } } } as const;

/** The end-user a provider id is linked to, or null. */
export async function findLinkHolder(provider: LinkedProvider, externalId: string): Promise<LinkHolder | null> {
  const row = await (
    await db()
  ).providerEndUser.findUnique({ where: { provider_externalId: { provider, externalId } }, select: holderSelect });
  return row?.endUser ?? null;
}

export type LinkOutcome =
  | { kind: "linked"; account: LinkedAccount }
  | { kind: "offboarded"; deletedAt: Date }
  | { kind: "unknown_end_user" }
  /** Its offboarding sent (or may have sent) Conductor's DELETE: the tombstone would take the link at once. */
  | { kind: "offboarding" }
  /** A refresh whose link was removed, or replaced, while the provider was asked. */
  | { kind: "not_linked" }
  /** Another id than `expectedCurrent` is linked now: another operator changed it. */
  | { kind: "changed"; current: string | null };

/**
 * Links (or re-links, or refreshes) a provider end-user; audited. The end-user is checked again
 * here, with its row held until the link commits: an offboarding waits for it (then removes the
 * link), since the provider's answer may arrive after an offboarding finished, and so does any
 * other link of the same end-user, so each reads the link the one before it left. With
 * `refreshOnly`, nothing is linked unless the same id still is; with `expectedCurrent` (null: none),
 * nothing is replaced but that link.
 */
export async function saveLinkedAccount(
  endUserId: string,
  identity: LinkedIdentity,
  actor: string,
  options: { refreshOnly?: boolean; expectedCurrent?: string | null } = {},
): Promise<LinkOutcome> {
  const { provider, externalId } = identity;
  try {
    return await (
      await db()
    ).$transaction(async (tx): Promise<LinkOutcome> => {
      // The lock waits for an offboarding being taken, whose DELETE may then already be in Conductor.
      const [owner] = await tx.$queryRaw<{ sourceId: string; deletedAt: Date | null; offboarding: boolean }[]>`
        SELECT e."sourceId", e."deletedAt", (o."deleteStartedAt" IS NOT NULL) AS "offboarding"
        FROM "ConductorEndUser" e LEFT JOIN "Offboarding" o ON o."endUserId" = e."id"
        WHERE e."id" = ${endUserId} FOR NO KEY UPDATE OF e`;
      if (!owner) return { kind: "unknown_end_user" };
      if (owner.deletedAt) return { kind: "offboarded", deletedAt: owner.deletedAt };
      if (owner.offboarding) return { kind: "offboarding" };
      const key = { endUserId_provider: { endUserId, provider } };
      const previous = await tx.providerEndUser.findUnique({
        where: key,
        select: { externalId: true, ...identityColumns },
      });
      if (options.refreshOnly && previous?.externalId !== externalId) return { kind: "not_linked" };
      const current = previous?.externalId ?? null;
      if (options.expectedCurrent !== undefined && current !== options.expectedCurrent && current !== externalId)
        return { kind: "changed", current };
      if (previous && previous.externalId !== externalId) await tx.providerEndUser.delete({ where: key });
      const fetchedAt = new Date();
      const row = await tx.providerEndUser.upsert({
        where: { provider_externalId: { provider, externalId } },
        create: { provider, externalId, endUserId, ...columns(identity), fetchedAt, linkedBy: actor },
        // The provider answered with it: whatever it said before, it has it.
        update: { ...columns(identity), fetchedAt, missingSince: null },
        // The holder comes with the row: when another end-user holds the id, the operator is told which.
        select: { ...linkSelect, ...holderSelect },
      });
      const { endUser: holder, ...link } = row;
      if (link.endUserId !== endUserId) throw alreadyLinked(provider, holder);
      const refreshed = previous?.externalId === externalId;
      if (!refreshed) await tx.offboardedProviderLink.deleteMany({ where: { provider, externalId } });
      const replaced = previous && !refreshed ? { replaced: previous.externalId } : {};
      const changed = previous && refreshed ? changesBetween(previous, columns(identity)) : {};
      await recordAudit(
        {
          action: refreshed ? "PROVIDER_REFRESHED" : "PROVIDER_LINKED",
          actor,
          endUserId,
          sourceId: owner.sourceId,
          data: { provider, externalId, ...replaced, ...changed },
        },
        tx,
      );
      return { kind: "linked", account: toAccount(link) };
    });
  } catch (error) {
    // Two operators linking the same provider id at once: the unique index decides, and the
    // operator who lost is told which customer won, as when the link was there before.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const holder = await findLinkHolder(provider, externalId);
      throw holder
        ? alreadyLinked(provider, holder)
        : new AppError("already_linked", "That end-user was just linked elsewhere.");
    }
    throw error;
  }
}

/**
 * The provider answered that it has no end-user `externalId`, still linked to `endUserId`: the
 * link is flagged (it stays until an operator unlinks it) and audited, once until it is found again.
 */
export async function markLinkMissing(
  endUserId: string,
  provider: LinkedProvider,
  externalId: string,
  actor: string,
): Promise<void> {
  await (
    await db()
  ).$transaction(async (tx) => {
    const [flagged] = await tx.$queryRaw<{ sourceId: string }[]>`
      UPDATE "ProviderEndUser" p SET "missingSince" = timezone('UTC', now())
      FROM "ConductorEndUser" e
      WHERE p."endUserId" = ${endUserId} AND p."provider" = ${provider}::"ExternalProvider"
        AND p."externalId" = ${externalId} AND p."missingSince" IS NULL AND e."id" = p."endUserId"
      RETURNING e."sourceId"`;
    if (!flagged) return;
    const data = { provider, externalId };
    await recordAudit({ action: "PROVIDER_MISSING", actor, endUserId, sourceId: flagged.sourceId, data }, tx);
  });
}

/**
 * Removes a link (only `externalId`'s, when given); audited. The link left in place otherwise
 * (null: none). It waits, as a link does, for the end-user's row: a link replacing this one has
 * read it and is about to delete it.
 */
export async function deleteLinkedAccount(
  endUserId: string,
  provider: LinkedProvider,
  actor: string,
  externalId?: string,
): Promise<{ removed: true } | { removed: false; current: string | null }> {
  return (await db()).$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "ConductorEndUser" WHERE "id" = ${endUserId} FOR NO KEY UPDATE`;
    const [removed] = await tx.$queryRaw<{ externalId: string; sourceId: string }[]>`
      DELETE FROM "ProviderEndUser" p USING "ConductorEndUser" e
      WHERE p."endUserId" = ${endUserId} AND p."provider" = ${provider}::"ExternalProvider" AND e."id" = p."endUserId"
        AND (${externalId ?? null}::text IS NULL OR p."externalId" = ${externalId ?? null})
      RETURNING p."externalId", e."sourceId"`;
    if (!removed) {
      const left = await tx.providerEndUser.findUnique({
        where: { endUserId_provider: { endUserId, provider } },
        select: { externalId: true },
      });
      return { removed: false, current: left?.externalId ?? null };
    }
    const { sourceId } = removed;
    const data = { provider, externalId: removed.externalId };
    await recordAudit({ action: "PROVIDER_UNLINKED", actor, endUserId, sourceId, data }, tx);
    return { removed: true };
  });
}

/**
 * The provider ids offboardings unlinked from this customer's former end-users (by sourceId) and
 * nobody has linked since, the latest offboarding's first: for the customer's new end-user.
 */
export async function listFormerLinks(sourceId: string) {
  const rows = await (
    await db()
  ).offboardedProviderLink.findMany({
    where: { endUser: { sourceId, deletedAt: { not: null } } },
    select: { provider: true, externalId: true, endUser: { select: { id: true, deletedAt: true } } },
    orderBy: { endUser: { deletedAt: "desc" } },
  });
  return rows.map(({ provider, externalId, endUser }) => ({
    provider: provider as LinkedProvider,
    externalId,
    endUserId: endUser.id,
    offboardedAt: endUser.deletedAt!,
  }));
}

export type FormerLink = Awaited<ReturnType<typeof listFormerLinks>>[number];
