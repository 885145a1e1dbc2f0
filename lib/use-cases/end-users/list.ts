import "server-only";
import type { z } from "zod";
import {
  countByConnectionStatus,
  countCachedEndUsers,
  listCachedEndUsers,
  type EndUserPage,
  type StatusCounts,
} from "@/lib/data/end-users";
import { searchTerm, type LinkedId, type SearchTerm } from "@/lib/data/end-user-search";
import { lastFullSyncAt } from "@/lib/data/freshness";
import { LINKED_PROVIDERS } from "@/lib/model/providers";
import type { Actor } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import { fieldsFromZodError } from "@/lib/platform/errors/validation";
import { assertOperator } from "@/lib/use-cases/access";
import { setAsideNotice } from "@/lib/use-cases/set-aside-notice";
import { linkedProviders } from "@/lib/wiring/linked-providers";
import { publicEndUser } from "./public";
import { END_USERS_PAGE_SIZE, listQuerySchema, type EndUserList } from "./schemas";

export type ListQuery = z.output<typeof listQuerySchema>;

export type { StatusCounts };

/** The list's options for the data layer: the search read once, offboarded ones only when asked for. */
const listOptions = (query: ListQuery, search: SearchTerm | null) => ({
  ...query,
  search,
  includeDeleted: query.include === "deleted",
});

const sum = (counts: StatusCounts) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * GET /api/end-users: the cache, newest first, searched, filtered by connection status and paged,
 * with the counts per status.
 */
export async function listEndUsers(actor: Actor, query: ListQuery): Promise<EndUserList> {
  assertOperator(actor);
  const search = await searchTerm(query.q, linkedIdsIn);
  // Per status, the live end-users the search matches: an offboarded one has no connection.
  const [page, { live }] = await Promise.all([
    listCachedEndUsers(listOptions(query, search)),
    countByConnectionStatus(search),
  ]);
  return { ...page, data: page.data.map(publicEndUser), counts: live };
}

export type EndUsersOverview = {
  query: ListQuery;
  page: EndUserPage;
  /** Per connection status, among the live end-users the search matches. */
  counts: StatusCounts;
  /** How many the search matches across statuses: offboarded ones included when the list shows them. */
  matched: number;
  total: { live: number; offboarded: number };
  refreshedAt: Date | null;
  /** Why the page shows something else than was asked for (an unreadable search or link). */
  problem: string | null;
};

/** The linked ids search text may be: each provider's whose ids it looks like, kept as that provider keeps them. */
const linkedIdsIn = (text: string): LinkedId[] =>
  LINKED_PROVIDERS.flatMap((provider) => {
    const id = linkedProviders[provider].idSchema.safeParse(text);
    return id.success ? [{ provider, externalId: id.data }] : [];
  });

const LIST_FIELDS = ["q", "status", "cursor", "limit", "include"] as const;

/** The list's query from a page's URL: what cannot be read is set aside, with the cursor (the first page is shown). */
export function readableQuery(raw: Record<string, unknown>): { query: ListQuery; setAside: Record<string, string[]> } {
  const given = Object.fromEntries(LIST_FIELDS.map((field) => [field, raw[field]]));
  const parsed = listQuerySchema.safeParse(given);
  if (parsed.success) return { query: parsed.data, setAside: {} };
  const setAside = fieldsFromZodError(parsed.error);
  const rest = Object.fromEntries(
    Object.entries(given).filter(([field]) => field !== "cursor" && !Object.hasOwn(setAside, field)),
  );
  return { query: listQuerySchema.safeParse(rest).data ?? { limit: END_USERS_PAGE_SIZE }, setAside };
}

/** A search or filter set aside widens the list; a page link or size set aside only starts it over. */
const leadOf = (setAside: Record<string, string[]>) =>
  ["q", "status", "include"].some((field) => Object.hasOwn(setAside, field))
    ? "Listed without what could not be used"
    : undefined;

/** The operator's list page: like the API, but forgiving of a stale link, with the cache's totals. */
export async function browseEndUsers(actor: Actor, raw: Record<string, unknown>): Promise<EndUsersOverview> {
  assertOperator(actor);
  let { query, setAside } = readableQuery(raw);
  const search = await searchTerm(query.q, linkedIdsIn);
  let page: EndUserPage;
  try {
    page = await listCachedEndUsers(listOptions(query, search));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // A cursor of another list, or of another search: well formed, but not this list's.
    setAside = { ...setAside, cursor: ["is no longer valid"] };
    const { cursor: _cursor, ...firstPage } = query;
    query = firstPage;
    page = await listCachedEndUsers(listOptions(firstPage, search));
  }
  const [{ live, offboarded }, refreshedAt] = await Promise.all([countByConnectionStatus(search), lastFullSyncAt()]);
  const matched = sum(live) + (query.include === "deleted" ? sum(offboarded) : 0);
  // Unsearched, the counts are every cached end-user's; a search needs the totals apart.
  const total = search ? await countCachedEndUsers() : { live: sum(live), offboarded: sum(offboarded) };
  const problem = Object.keys(setAside).length ? setAsideNotice(setAside, leadOf(setAside)) : null;
  return { query, page, counts: live, matched, total, refreshedAt, problem };
}
