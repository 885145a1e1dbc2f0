import "server-only";
import type { z } from "zod";
import { listCachedEndUsers, countCachedEndUsers, type EndUserPage } from "@/lib/data/end-users";
import { lastFullSyncAt } from "@/lib/data/freshness";
import type { Actor } from "@/lib/model/actor";
import type { EndUser } from "@/lib/model/end-user";
import { AppError } from "@/lib/platform/errors/app-error";
import { assertOperator } from "@/lib/use-cases/access";
import { publicEndUser } from "./public";
import { listQuerySchema } from "./schemas";

type ListQuery = z.output<typeof listQuerySchema>;

const withDeleted = (query: ListQuery) => ({ ...query, includeDeleted: query.include === "deleted" });

/** GET /api/end-users: the cache, newest first, searched and paged. */
export async function listEndUsers(
  actor: Actor,
  query: ListQuery,
): Promise<{ data: EndUser[]; nextCursor: string | null }> {
  assertOperator(actor);
  const page = await listCachedEndUsers(withDeleted(query));
  return { data: page.data.map(publicEndUser), nextCursor: page.nextCursor };
}

export type EndUsersOverview = {
  query: ListQuery;
  page: EndUserPage;
  total: { live: number; offboarded: number };
  refreshedAt: Date | null;
  /** Why the page shows something else than was asked for (an unreadable search or link). */
  problem: string | null;
};

/** The operator's list page: like the API, but forgiving of a stale link, with the cache's totals. */
export async function browseEndUsers(actor: Actor, raw: Record<string, unknown>): Promise<EndUsersOverview> {
  assertOperator(actor);
  const parsed = listQuerySchema.safeParse({ q: raw.q, cursor: raw.cursor, limit: raw.limit, include: raw.include });
  const query: ListQuery = parsed.success ? parsed.data : { limit: 25 };
  let problem = parsed.success ? null : "That search could not be read; showing the first page.";
  let page: EndUserPage;
  try {
    page = await listCachedEndUsers(withDeleted(query));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = "That page link is no longer valid; showing the first page.";
    page = await listCachedEndUsers(withDeleted({ q: query.q, limit: query.limit, include: query.include }));
  }
  const [total, refreshedAt] = await Promise.all([countCachedEndUsers(), lastFullSyncAt()]);
  return { query, page, total, refreshedAt, problem };
}
