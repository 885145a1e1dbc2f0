/**
 * Reads of the Conductor end-user cache for pages, the API and jobs. Returns plain objects shaped
 * by the selects below.
 */
import "server-only";
import { db, type Prisma } from "@/lib/db/client";
import type { EndUser } from "@/lib/model/end-user";
import { decodeCursor, encodeCursor } from "./cursor";
import { confirmed, lastFullSyncAt } from "./freshness";

const connectionSelect = {
  id: true,
  integrationSlug: true,
  createdAt: true,
  lastRequestAt: true,
  lastSuccessfulRequestAt: true,
} satisfies Prisma.IntegrationConnectionSelect;

const endUserSelect = {
  id: true,
  sourceId: true,
  companyName: true,
  email: true,
  createdAt: true,
  syncedAt: true,
  integrationConnections: { select: connectionSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
} satisfies Prisma.ConductorEndUserSelect;

const endUserListSelect = { ...endUserSelect, missingUpstreamSince: true } satisfies Prisma.ConductorEndUserSelect;

export type EndUserListItem = EndUser & Prisma.ConductorEndUserGetPayload<{ select: typeof endUserListSelect }>;

/** What the operator's detail page shows beyond the API's `EndUser`. */
const endUserDetailSelect = {
  ...endUserListSelect,
  user: { select: { id: true, email: true } },
} satisfies Prisma.ConductorEndUserSelect;

export type EndUserDetail = EndUser & Prisma.ConductorEndUserGetPayload<{ select: typeof endUserDetailSelect }>;

export async function findEndUserById(id: string): Promise<EndUserDetail | null> {
  const [row, lastSync] = await Promise.all([
    (await db()).conductorEndUser.findUnique({ where: { id }, select: endUserDetailSelect }),
    lastFullSyncAt(),
  ]);
  return row && confirmed(row, lastSync);
}

export async function findEndUserBySourceId(sourceId: string): Promise<EndUser | null> {
  return (await db()).conductorEndUser.findUnique({ where: { sourceId }, select: endUserSelect });
}

export type EndUserPage = { data: EndUserListItem[]; nextCursor: string | null };

/** Newest first, keyset-paginated by (createdAt, id); `q` matches company, email, sourceId or id. */
export async function listCachedEndUsers(options: {
  q?: string;
  cursor?: string;
  limit: number;
}): Promise<EndUserPage> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const q = options.q?.trim();
  // Prisma passes `contains` into ILIKE as is: escape LIKE's wildcards so search text is literal.
  const text = q?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const search: Prisma.ConductorEndUserWhereInput = q
    ? {
        OR: [
          { companyName: { contains: text, mode: "insensitive" } },
          { email: { contains: text, mode: "insensitive" } },
          { sourceId: q },
          { id: q },
        ],
      }
    : {};
  const page: Prisma.ConductorEndUserWhereInput = after
    ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
    : {};
  const [rows, lastSync] = await Promise.all([
    (await db()).conductorEndUser.findMany({
      where: { AND: [search, page] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: options.limit + 1,
      select: endUserListSelect,
    }),
    lastFullSyncAt(),
  ]);
  const data = rows.slice(0, options.limit).map((row) => confirmed(row, lastSync));
  const last = data.at(-1);
  return { data, nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
}

export async function countCachedEndUsers(): Promise<number> {
  return (await db()).conductorEndUser.count();
}
