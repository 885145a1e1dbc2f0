/**
 * Reads of the Conductor end-user cache for pages, the API and jobs. Returns plain objects shaped
 * by the selects below, each with its `connection`.
 */
import "server-only";
import { db, type Prisma } from "@/lib/db/client";
import { CONNECTION_STATUSES, type ConnectionStatus } from "@/lib/model/connection";
import { connectionColumns, withConnection, type WithConnection } from "./connection-columns";
import { decodeCursor, keysetPage, readingFrom, type Position } from "./cursor";
import { cachedCountsByStatus } from "./end-user-counts";
import { likeLiteral, nameLiteral, rareMatchIds, searchForms, type SearchTerm } from "./end-user-search";
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
  ...connectionColumns,
} satisfies Prisma.ConductorEndUserSelect;

const endUserListSelect = {
  ...endUserSelect,
  missingUpstreamSince: true,
  /** Present while an offboarding is under way or its outcome is unknown. */
  offboarding: { select: { deleteStartedAt: true } },
} satisfies Prisma.ConductorEndUserSelect;

/** An end-user as cached (the API's `EndUser` and the check behind its connection). */
export type CachedEndUser = WithConnection<Prisma.ConductorEndUserGetPayload<{ select: typeof endUserSelect }>>;

export type EndUserListItem = WithConnection<Prisma.ConductorEndUserGetPayload<{ select: typeof endUserListSelect }>>;

/** What the operator's detail page shows beyond the API's `EndUser`. */
const endUserDetailSelect = {
  ...endUserListSelect,
  deletedBy: true,
  user: { select: { id: true, email: true } },
  offboarding: {
    select: { requestedBy: true, deleteStartedAt: true, errorCode: true, conductorRequestId: true, updatedAt: true },
  },
} satisfies Prisma.ConductorEndUserSelect;

export type EndUserDetail = WithConnection<Prisma.ConductorEndUserGetPayload<{ select: typeof endUserDetailSelect }>>;

export async function findEndUserById(id: string): Promise<EndUserDetail | null> {
  const [row, lastSync] = await Promise.all([
    (await db()).conductorEndUser.findUnique({ where: { id }, select: endUserDetailSelect }),
    lastFullSyncAt(),
  ]);
  return row && confirmed(withConnection(row), lastSync);
}

/** The live end-user with this sourceId (tombstones are history). */
export async function findEndUserBySourceId(sourceId: string): Promise<CachedEndUser | null> {
  return (await findOnboardedEndUser(sourceId))?.endUser ?? null;
}

/**
 * The live end-user with this sourceId, since when Conductor's list has lacked it (null while
 * listed), and since when an offboarding's DELETE has been out without Conductor confirming it.
 */
export async function findOnboardedEndUser(
  sourceId: string,
): Promise<{ endUser: CachedEndUser; missingUpstreamSince: Date | null; offboardingSince: Date | null } | null> {
  const row = await (
    await db()
  ).conductorEndUser.findFirst({
    where: { sourceId, deletedAt: null },
    select: { ...endUserSelect, missingUpstreamSince: true, offboarding: { select: { deleteStartedAt: true } } },
  });
  if (!row) return null;
  const { missingUpstreamSince, offboarding, ...endUser } = row;
  return {
    endUser: withConnection(endUser),
    missingUpstreamSince,
    offboardingSince: offboarding?.deleteStartedAt ?? null,
  };
}

/** The company names of these end-users, offboarded ones too, by id; ids never cached are left out. */
export async function companyNamesOf(ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await (
    await db()
  ).conductorEndUser.findMany({ where: { id: { in: ids } }, select: { id: true, companyName: true } });
  return new Map(rows.map((row) => [row.id, row.companyName]));
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

export type EndUserPage = { data: EndUserListItem[]; nextCursor: string | null; prevCursor: string | null };

/**
 * A search matches company (any part, any case, accents and compatibility forms folded) or email
 * (any part, any case), sourceId, id or a linked Altur or Dify id (exactly).
 */
function searchFor(search: SearchTerm | null): Prisma.ConductorEndUserWhereInput {
  if (!search) return {};
  const { text, folded } = search;
  // Prisma passes `contains` into ILIKE as is: escape LIKE's wildcards so search text is literal.
  const emails = searchForms(text).map((form): Prisma.ConductorEndUserWhereInput => ({
    email: { contains: likeLiteral(form), mode: "insensitive" },
  }));
  const name = nameLiteral(folded);
  const names = name === null ? [] : [{ searchName: { contains: name, mode: "insensitive" as const } }];
  const linked = search.linked.length ? [{ providerEndUsers: { some: { OR: search.linked } } }] : [];
  return { OR: [...names, ...emails, { sourceId: text }, { id: text }, ...linked] };
}

type ListOptions = { search: SearchTerm | null; status?: ConnectionStatus; includeDeleted?: boolean };

/** Tombstones only with `includeDeleted`, and never under a status: an offboarded end-user has no connection. */
const listed = ({ includeDeleted, status }: ListOptions): Prisma.ConductorEndUserWhereInput =>
  includeDeleted && !status ? {} : { deletedAt: null };

function listWhere(options: ListOptions, from: Position | null): Prisma.ConductorEndUserWhereInput {
  const beyond = readingFrom(from).past === ">" ? "gt" : "lt";
  const page: Prisma.ConductorEndUserWhereInput = from
    ? { OR: [{ createdAt: { [beyond]: from.createdAt } }, { createdAt: from.createdAt, id: { [beyond]: from.id } }] }
    : {};
  const status: Prisma.ConductorEndUserWhereInput = options.status ? { connectionStatus: options.status } : {};
  return { AND: [searchFor(options.search), status, page, listed(options)] };
}

async function pageRows(options: ListOptions, from: Position | null, take: number) {
  const ids = options.search ? await rareMatchIds({ ...options, ...options.search, from, take }) : null;
  const { order } = readingFrom(from);
  return (await db()).conductorEndUser.findMany({
    where: ids ? { id: { in: ids } } : listWhere(options, from),
    orderBy: [{ createdAt: order }, { id: order }],
    take,
    select: endUserListSelect,
  });
}

/**
 * Newest first, keyset-paginated by (createdAt, id), searched (searchTerm) and filtered by connection
 * status. Tombstones only with `includeDeleted`, and with no status filter.
 */
export async function listCachedEndUsers(
  options: ListOptions & { cursor?: string; limit: number },
): Promise<EndUserPage> {
  const from = options.cursor ? decodeCursor("end-users", options.cursor) : null;
  const [rows, lastSync] = await Promise.all([pageRows(options, from, options.limit + 1), lastFullSyncAt()]);
  const page = keysetPage("end-users", rows, options.limit, from, (row) => row);
  return { ...page, data: page.data.map((row) => confirmed(withConnection(row), lastSync)) };
}

export type StatusCounts = Record<ConnectionStatus, number>;

const noCounts = () => Object.fromEntries(CONNECTION_STATUSES.map((status) => [status, 0])) as StatusCounts;

/**
 * How many cached end-users a search matches in each connection status, live and offboarded apart: one
 * scan of the matches (a count of deletedAt counts the tombstones), which also gives the list's
 * totals unsearched. Unsearched, the counts the database keeps answer without any scan.
 */
export async function countByConnectionStatus(
  search: SearchTerm | null,
): Promise<{ live: StatusCounts; offboarded: StatusCounts }> {
  const counts = { live: noCounts(), offboarded: noCounts() };
  if (!search) {
    for (const { connectionStatus, offboarded, n } of await cachedCountsByStatus())
      counts[offboarded ? "offboarded" : "live"][connectionStatus] += n;
    return counts;
  }
  const groups = await (
    await db()
  ).conductorEndUser.groupBy({
    by: ["connectionStatus"],
    where: searchFor(search),
    _count: { _all: true, deletedAt: true },
  });
  for (const { connectionStatus, _count } of groups) {
    counts.live[connectionStatus] = _count._all - _count.deletedAt;
    counts.offboarded[connectionStatus] = _count.deletedAt;
  }
  return counts;
}

export async function countCachedEndUsers(): Promise<{ live: number; offboarded: number }> {
  const total = { live: 0, offboarded: 0 };
  for (const { offboarded, n } of await cachedCountsByStatus()) total[offboarded ? "offboarded" : "live"] += n;
  return total;
}
