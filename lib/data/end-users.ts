/**
 * Reads of the Conductor end-user cache for pages, the API and jobs. Returns plain objects shaped
 * by the selects below, each with its `connection`.
 */
import "server-only";
import { db, type Prisma } from "@/lib/db/client";
import { CONNECTION_STATUSES, type ConnectionStatus } from "@/lib/model/connection";
import { connectionColumns, withConnection, type WithConnection } from "./connection-columns";
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
  ...connectionColumns,
} satisfies Prisma.ConductorEndUserSelect;

const endUserListSelect = { ...endUserSelect, missingUpstreamSince: true } satisfies Prisma.ConductorEndUserSelect;

/** An end-user as cached (the API's `EndUser` and the check behind its connection). */
export type CachedEndUser = WithConnection<Prisma.ConductorEndUserGetPayload<{ select: typeof endUserSelect }>>;

export type EndUserListItem = WithConnection<Prisma.ConductorEndUserGetPayload<{ select: typeof endUserListSelect }>>;

/** What the operator's detail page shows beyond the API's `EndUser`. */
const endUserDetailSelect = {
  ...endUserListSelect,
  user: { select: { id: true, email: true } },
} satisfies Prisma.ConductorEndUserSelect;

export type EndUserDetail = WithConnection<Prisma.ConductorEndUserGetPayload<{ select: typeof endUserDetailSelect }>>;

export async function findEndUserById(id: string): Promise<EndUserDetail | null> {
  const [row, lastSync] = await Promise.all([
    (await db()).conductorEndUser.findUnique({ where: { id }, select: endUserDetailSelect }),
    lastFullSyncAt(),
  ]);
  return row && confirmed(withConnection(row), lastSync);
}

export async function findEndUserBySourceId(sourceId: string): Promise<CachedEndUser | null> {
  const row = await (await db()).conductorEndUser.findUnique({ where: { sourceId }, select: endUserSelect });
  return row && withConnection(row);
}

export type EndUserPage = { data: EndUserListItem[]; nextCursor: string | null };

/** `q` matches company or email (any part, any case), sourceId or id (exactly). */
function searchFor(q: string | undefined): Prisma.ConductorEndUserWhereInput {
  const text = q?.trim();
  if (!text) return {};
  // Prisma passes `contains` into ILIKE as is: escape LIKE's wildcards so search text is literal.
  const literal = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return {
    OR: [
      { companyName: { contains: literal, mode: "insensitive" } },
      { email: { contains: literal, mode: "insensitive" } },
      { sourceId: text },
      { id: text },
    ],
  };
}

/** Newest first, keyset-paginated by (createdAt, id), searched by `q` and filtered by connection status. */
export async function listCachedEndUsers(options: {
  q?: string;
  status?: ConnectionStatus;
  cursor?: string;
  limit: number;
}): Promise<EndUserPage> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const page: Prisma.ConductorEndUserWhereInput = after
    ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
    : {};
  const status: Prisma.ConductorEndUserWhereInput = options.status ? { connectionStatus: options.status } : {};
  const [rows, lastSync] = await Promise.all([
    (await db()).conductorEndUser.findMany({
      where: { AND: [searchFor(options.q), status, page] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: options.limit + 1,
      select: endUserListSelect,
    }),
    lastFullSyncAt(),
  ]);
  const data = rows.slice(0, options.limit).map((row) => confirmed(withConnection(row), lastSync));
  const last = data.at(-1);
  return { data, nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
}

export type StatusCounts = Record<ConnectionStatus, number>;

/** How many cached end-users have each connection status, among those `q` matches. */
export async function countByConnectionStatus(q?: string): Promise<StatusCounts> {
  const groups = await (
    await db()
  ).conductorEndUser.groupBy({ by: ["connectionStatus"], where: searchFor(q), _count: { _all: true } });
  const counts = Object.fromEntries(CONNECTION_STATUSES.map((status) => [status, 0])) as StatusCounts;
  for (const group of groups) counts[group.connectionStatus] = group._count._all;
  return counts;
}

export async function countCachedEndUsers(): Promise<number> {
  return (await db()).conductorEndUser.count();
}
