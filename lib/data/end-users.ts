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
  deletedAt: true,
  integrationConnections: { select: connectionSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
} satisfies Prisma.ConductorEndUserSelect;

const endUserListSelect = {
  ...endUserSelect,
  missingUpstreamSince: true,
  /** Present while an offboarding is under way or its outcome is unknown. */
  offboarding: { select: { deleteStartedAt: true } },
} satisfies Prisma.ConductorEndUserSelect;

export type EndUserListItem = EndUser & Prisma.ConductorEndUserGetPayload<{ select: typeof endUserListSelect }>;

/** What the operator's detail page shows beyond the API's `EndUser`. */
const endUserDetailSelect = {
  ...endUserListSelect,
  deletedBy: true,
  user: { select: { id: true, email: true } },
  offboarding: {
    select: { requestedBy: true, deleteStartedAt: true, errorCode: true, conductorRequestId: true, updatedAt: true },
  },
} satisfies Prisma.ConductorEndUserSelect;

export type EndUserDetail = EndUser & Prisma.ConductorEndUserGetPayload<{ select: typeof endUserDetailSelect }>;

export async function findEndUserById(id: string): Promise<EndUserDetail | null> {
  const [row, lastSync] = await Promise.all([
    (await db()).conductorEndUser.findUnique({ where: { id }, select: endUserDetailSelect }),
    lastFullSyncAt(),
  ]);
  return row && confirmed(row, lastSync);
}

/** The live end-user with this sourceId (tombstones are history). */
export async function findEndUserBySourceId(sourceId: string): Promise<EndUser | null> {
  return (await db()).conductorEndUser.findFirst({ where: { sourceId, deletedAt: null }, select: endUserSelect });
}

export async function isTombstone(id: string): Promise<boolean> {
  return (await (await db()).conductorEndUser.count({ where: { id, deletedAt: { not: null } } })) > 0;
}

/** The latest tombstone with this sourceId, for saying when a customer was offboarded. */
export async function findLatestTombstone(
  sourceId: string,
): Promise<{ id: string; companyName: string; deletedAt: Date } | null> {
  const row = await (
    await db()
  ).conductorEndUser.findFirst({
    where: { sourceId, deletedAt: { not: null } },
    orderBy: { deletedAt: "desc" },
    select: { id: true, companyName: true, deletedAt: true },
  });
  return row && { ...row, deletedAt: row.deletedAt! };
}

export type EndUserPage = { data: EndUserListItem[]; nextCursor: string | null };

/**
 * Newest first, keyset-paginated by (createdAt, id); `q` matches company, email, sourceId or id.
 * Tombstones only with `includeDeleted`.
 */
export async function listCachedEndUsers(options: {
  q?: string;
  cursor?: string;
  limit: number;
  includeDeleted?: boolean;
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
      where: { AND: [search, page, options.includeDeleted ? {} : { deletedAt: null }] },
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

export async function countCachedEndUsers(): Promise<{ live: number; offboarded: number }> {
  const [counts] = await (
    await db()
  ).$queryRaw<{ live: number; offboarded: number }[]>`
    SELECT (count(*) FILTER (WHERE "deletedAt" IS NULL))::int AS "live",
           (count(*) FILTER (WHERE "deletedAt" IS NOT NULL))::int AS "offboarded"
    FROM "ConductorEndUser"`;
  return counts!;
}
