import "server-only";
import type { z } from "zod";
import {
  countByConnectionStatus,
  countCachedEndUsers,
  listCachedEndUsers,
  type EndUserPage,
  type StatusCounts,
} from "@/lib/data/end-users";
import { lastFullSyncAt } from "@/lib/data/freshness";
import type { Actor } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import { assertOperator } from "@/lib/use-cases/access";
import { publicEndUser } from "./public";
import { listQuerySchema, type EndUserList } from "./schemas";

type ListQuery = z.output<typeof listQuerySchema>;

export type { StatusCounts };

const withDeleted = (query: ListQuery) => ({ ...query, includeDeleted: query.include === "deleted" });

/** How many of the end-users the search (and `include`) shows have each status, whatever the filter and the page. */
async function countsFor(query: ListQuery) {
  const { live, offboarded } = await countByConnectionStatus(query.q);
  const counts =
    query.include === "deleted"
      ? (Object.fromEntries(
          Object.entries(live).map(([status, n]) => [status, n + offboarded[status as keyof StatusCounts]]),
        ) as StatusCounts)
      : live;
  return { counts, live, offboarded };
}

const sum = (counts: StatusCounts) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * GET /api/end-users: the cache, newest first, searched, filtered by connection status and paged,
 * with the counts per status.
 */
export async function listEndUsers(actor: Actor, query: ListQuery): Promise<EndUserList> {
  assertOperator(actor);
  const [page, { counts }] = await Promise.all([listCachedEndUsers(withDeleted(query)), countsFor(query)]);
  return { data: page.data.map(publicEndUser), nextCursor: page.nextCursor, counts };
}

export type EndUsersOverview = {
  query: ListQuery;
  page: EndUserPage;
  /** Per connection status, among the end-users the search matches. */
  counts: StatusCounts;
  total: { live: number; offboarded: number };
  refreshedAt: Date | null;
  /** Why the page shows something else than was asked for (an unreadable search or link). */
  problem: string | null;
};

/** The operator's list page: like the API, but forgiving of a stale link, with the cache's totals. */
export async function browseEndUsers(actor: Actor, raw: Record<string, unknown>): Promise<EndUsersOverview> {
  assertOperator(actor);
  const parsed = listQuerySchema.safeParse({
    q: raw.q,
    status: raw.status,
    cursor: raw.cursor,
    limit: raw.limit,
    include: raw.include,
  });
  const query: ListQuery = parsed.success ? parsed.data : { limit: 25 };
  let problem = parsed.success ? null : "That search could not be read; showing the first page.";
  let page: EndUserPage;
  try {
    page = await listCachedEndUsers(withDeleted(query));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = "That page link is no longer valid; showing the first page.";
    const { cursor: _cursor, ...firstPage } = query;
    page = await listCachedEndUsers(withDeleted(firstPage));
  }
  const [{ counts, live, offboarded }, refreshedAt] = await Promise.all([countsFor(query), lastFullSyncAt()]);
  // Unsearched, the counts are every cached end-user's; a search needs the totals apart.
  const total = query.q?.trim() ? await countCachedEndUsers() : { live: sum(live), offboarded: sum(offboarded) };
  return { query, page, counts, total, refreshedAt, problem };
}
