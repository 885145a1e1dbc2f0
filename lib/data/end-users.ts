/**
 * The Conductor end-user cache: reads for pages, the API and lookups, and writes of what
 * Conductor returned. Returns plain objects shaped by the selects below.
 */
import "server-only";
import { db, type Prisma, type PrismaClient } from "@/lib/db/client";
import type { UpstreamEndUser } from "@/lib/conductor/schemas";
import { decodeCursor, encodeCursor } from "./cursor";
import { writeUpstreamEndUsers } from "./end-user-writes";

export type Tx = Prisma.TransactionClient | PrismaClient;

const connectionSelect = {
  id: true,
  integrationSlug: true,
  createdAt: true,
  lastRequestAt: true,
  lastSuccessfulRequestAt: true,
} satisfies Prisma.IntegrationConnectionSelect;

/** PRODUCT.md's `EndUser`. */
export const endUserSelect = {
  id: true,
  sourceId: true,
  companyName: true,
  email: true,
  createdAt: true,
  syncedAt: true,
  integrationConnections: { select: connectionSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
} satisfies Prisma.ConductorEndUserSelect;

export type EndUser = Prisma.ConductorEndUserGetPayload<{ select: typeof endUserSelect }>;

/** PRODUCT.md's `EndUser` out of any richer row (what the JSON API answers with). */
export function publicEndUser<T extends EndUser>(row: T): EndUser {
  return {
    id: row.id,
    sourceId: row.sourceId,
    companyName: row.companyName,
    email: row.email,
    createdAt: row.createdAt,
    syncedAt: row.syncedAt,
    integrationConnections: row.integrationConnections,
  };
}

const endUserListSelect = { ...endUserSelect, missingUpstreamSince: true } satisfies Prisma.ConductorEndUserSelect;

export type EndUserListItem = Prisma.ConductorEndUserGetPayload<{ select: typeof endUserListSelect }>;

/** What the operator's detail page shows beyond PRODUCT.md's `EndUser`. */
const endUserDetailSelect = {
  ...endUserSelect,
  missingUpstreamSince: true,
  user: { select: { id: true, email: true } },
} satisfies Prisma.ConductorEndUserSelect;

export type EndUserDetail = Prisma.ConductorEndUserGetPayload<{ select: typeof endUserDetailSelect }>;

export async function findEndUserById(id: string): Promise<EndUserDetail | null> {
  return (await db()).conductorEndUser.findUnique({ where: { id }, select: endUserDetailSelect });
}

export async function findEndUserBySourceId(sourceId: string): Promise<EndUser | null> {
  return (await db()).conductorEndUser.findUnique({ where: { sourceId }, select: endUserSelect });
}

export type EndUserPage = { data: EndUserListItem[]; nextCursor: string | null };

/** Newest first, keyset-paginated by (createdAt, id); `q` matches company, email, sourceId or id. */
export async function listCachedEndUsers(options: { q?: string; cursor?: string; limit: number }): Promise<EndUserPage> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const q = options.q?.trim();
  // Prisma passes `contains` into ILIKE as is: escape LIKE's wildcards so search text is literal.
  const text = q?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await (await db()).conductorEndUser.findMany({
    where: {
      AND: [
        q
          ? {
              OR: [
                { companyName: { contains: text, mode: "insensitive" } },
                { email: { contains: text, mode: "insensitive" } },
                { sourceId: q },
                { id: q },
              ],
            }
          : {},
        after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    select: endUserListSelect,
  });
  const data = rows.slice(0, options.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
}

export async function countCachedEndUsers(): Promise<number> {
  return (await db()).conductorEndUser.count();
}

/** Writes one end-user as Conductor returned it (with `alongside` steps) and answers with the cached shape. */
export async function saveUpstreamEndUser(tx: Tx, upstream: UpstreamEndUser, alongside: Prisma.Sql[] = []): Promise<EndUser> {
  const syncedAt = await writeUpstreamEndUsers(tx, [upstream], alongside);
  const { id, sourceId, companyName, email, createdAt } = upstream;
  const integrationConnections = [...upstream.integrationConnections].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
  );
  return { id, sourceId, companyName, email, createdAt, syncedAt, integrationConnections };
}

/** Records a fresh copy from Conductor (detail page, API retrieve). */
export async function refreshCachedEndUser(upstream: UpstreamEndUser): Promise<EndUser> {
  return saveUpstreamEndUser(await db(), upstream);
}
