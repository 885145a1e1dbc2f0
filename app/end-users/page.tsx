import type { Metadata } from "next";
import Link from "next/link";
import { statusLabel } from "@/app/_components/connection/wording";
import { ArrivalSummary, MarksArrival, SubmitOutcome } from "@/app/_components/focus-after-submit";
import { Notice } from "@/app/_components/notice";
import type { ConnectionStatus } from "@/lib/model/connection";
import { Age } from "@/app/_components/age";
import { formatTimestamp } from "@/lib/platform/format";
import type { Person } from "@/lib/model/actor";
import { browseEndUsers } from "@/lib/use-cases/end-users/list";
import { END_USERS_PAGE_SIZE } from "@/lib/use-cases/end-users/schemas";
import { requireOperator } from "@/lib/web/auth/guards";
import { getViewer } from "@/lib/web/auth/viewer";
import { oncePerRequest } from "@/lib/web/request-memo";
import { EndUsersTable } from "./end-users-table";
import { markOutcomeNow } from "./marked-offboarded";
import { RefreshForm } from "./refresh-form";
import { StatusFilters } from "./status-filters";
import { listSummary, listTitle } from "./view-words";

const withQuery = (params: Record<string, string>) => {
  const text = new URLSearchParams(params).toString();
  return text ? `?${text}` : "";
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The list as this request shows it: read once, for the title and the page. */
const overview = (viewer: Person, raw: Awaited<SearchParams>) =>
  oncePerRequest(`end-users-list:${JSON.stringify(raw)}`, () => browseEndUsers(viewer, raw));

export async function generateMetadata({ searchParams }: { searchParams: SearchParams }): Promise<Metadata> {
  const viewer = await getViewer();
  if (viewer?.kind !== "operator") return { title: "End-users" };
  const { query, page } = await overview(viewer, await searchParams);
  return { title: listTitle(query, Boolean(page.prevCursor)) };
}

export default async function EndUsersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireOperator("/end-users");
  const raw = await searchParams;
  const { query, page, counts, matched, total, refreshedAt, problem } = await overview(viewer, raw);
  // Newer end-users come before this page: however it was reached (a link back to the first page included).
  const later = Boolean(page.prevCursor);
  const marked = await markOutcomeNow(viewer);
  const q = query.q ?? "";
  // A search that could not be read is set aside (problem says why), but stays in the box to correct.
  const typedQ = typeof raw.q === "string" ? raw.q : q;
  const qRefused = typedQ !== q && problem !== null;
  const status = query.status;
  const withDeleted = query.include === "deleted";
  // A search that finds none live may find an offboarded one (which has no status to filter by).
  const offboardedToo = !withDeleted && total.offboarded > 0 && q !== "";
  const sizeKept: Record<string, string> = query.limit !== END_USERS_PAGE_SIZE ? { limit: String(query.limit) } : {};
  /**
   * This list's address with `extra`: the search and page size carry over, and the toggle and the
   * status unless given (null for every status).
   */
  const href = (
    extra: Record<string, string>,
    deleted = withDeleted,
    filter: ConnectionStatus | null = status ?? null,
  ) =>
    `/end-users${withQuery({
      ...(q ? { q } : {}),
      ...(filter ? { status: filter } : {}),
      ...(deleted ? { include: "deleted" } : {}),
      ...sizeKept,
      ...extra,
    })}`;

  return (
    <>
      <h1>End-users</h1>
      <p className="lede">
        {total.live} cached{total.offboarded ? ` · ${total.offboarded} offboarded` : ""} · last full refresh{" "}
        {refreshedAt ? <Age at={refreshedAt} /> : "never"}. Pages read the cache, so they keep working when Conductor is
        slow or down.
      </p>
      <p className="hint" data-testid="status-as-of">
        Each status is as Conductor had it when its row was synced: a setup finished since shows after Refresh from
        Conductor, a Check now on the end-user&apos;s page, or the customer&apos;s return from the setup.
      </p>
      <div className="toolbar">
        {/* Clear and Show offboarded lead to another view of the list, as a search does. */}
        <MarksArrival on="link" />
        <form role="search" action="/end-users">
          <div>
            <label htmlFor="q">Search</label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={typedQ}
              maxLength={200}
              placeholder="Company, email, sourceId or end_usr_… id"
              aria-invalid={qRefused || undefined}
              aria-describedby={qRefused ? "q-hint list-problem" : "q-hint"}
            />
            <p className="hint" id="q-hint">
              Any part of a company name or email; a sourceId, end_usr_… id, or linked Altur or Dify id in full.
            </p>
          </div>
          {status && <input type="hidden" name="status" value={status} />}
          {withDeleted && <input type="hidden" name="include" value="deleted" />}
          {sizeKept.limit && <input type="hidden" name="limit" value={sizeKept.limit} />}
          <MarksArrival on="submit" />
          <button type="submit">Search</button>
          {q && (
            <Link
              className="button secondary"
              href={`/end-users${withQuery({ ...(status ? { status } : {}), ...(withDeleted ? { include: "deleted" } : {}), ...sizeKept })}`}
            >
              Clear
            </Link>
          )}
        </form>
        <Link className="button secondary" href={href({}, !withDeleted)} data-testid="offboarded-toggle">
          {withDeleted ? "Hide offboarded" : "Show offboarded"}
        </Link>
        <RefreshForm />
      </div>
      <StatusFilters
        hrefFor={(filter) => href({}, withDeleted, filter)}
        current={status}
        counts={counts}
        all={matched}
      />
      {problem && (
        <p className="notice notice-warn" id="list-problem" role="status">
          {problem}
        </p>
      )}
      {marked && (
        <SubmitOutcome>
          {marked.kind === "offboarded" ? (
            <Notice tone="ok" testId="marked-offboarded">
              <strong>{marked.companyName}</strong> is marked offboarded: Conductor confirmed it is gone (
              {formatTimestamp(marked.deletedAt)}). <Link href={href({}, true)}>Show offboarded</Link>
            </Notice>
          ) : (
            <Notice tone="warn" testId="still-in-conductor" conductorRequestId={marked.conductorRequestId}>
              <strong>{marked.companyName}</strong> was not marked offboarded: Conductor still has it, so its row now
              shows Conductor&rsquo;s copy and is no longer flagged missing. To delete it, offboard it from{" "}
              <Link href={`/end-users/${marked.id}`}>its page</Link>.
            </Notice>
          )}
        </SubmitOutcome>
      )}
      {page.data.length === 0 && query.cursor ? (
        <ArrivalSummary key={JSON.stringify(query)} className="card" testId="past-last-page">
          No more end-users after this point. <Link href={href({})}>Back to the first page</Link>.
        </ArrivalSummary>
      ) : page.data.length === 0 ? (
        <ArrivalSummary key={JSON.stringify(query)} className="card">
          {q || status ? (
            <>
              <MarksArrival on="link" />
              {`No cached end-user matches${q ? ` “${q}”` : ""}${status ? ` with status ${statusLabel(status)}` : ""}.`}{" "}
              {/* An offboarded end-user is still on record: a search by its id would otherwise say it is not. */}
              {offboardedToo && (
                <>
                  <Link href={href({}, true, null)} data-testid="search-offboarded">
                    Search offboarded end-users too
                  </Link>
                  ,{" "}
                </>
              )}
              <Link href={`/end-users${withQuery(withDeleted ? { include: "deleted" } : {})}`}>
                {offboardedToo ? "show" : "Show"} all end-users
              </Link>
              , or refresh from Conductor if it was created elsewhere.
            </>
          ) : (
            "No end-users cached yet. Refresh from Conductor to import them."
          )}
        </ArrivalSummary>
      ) : (
        <>
          <ArrivalSummary key={JSON.stringify(query)} testId="list-summary">
            {listSummary(query, status ? counts[status] : matched, later)}
          </ArrivalSummary>
          <EndUsersTable rows={page.data} />
        </>
      )}
      {(later || page.nextCursor) && (
        <nav className="pager" aria-label="Pages">
          <MarksArrival on="link" />
          <span className="pager-back">
            {page.prevCursor && (
              <>
                <Link href={href({})}>« First page</Link>
                <Link href={href({ cursor: page.prevCursor })} rel="prev">
                  ← Previous page
                </Link>
              </>
            )}
          </span>
          {page.nextCursor && (
            <Link href={href({ cursor: page.nextCursor })} rel="next">
              Next page →
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
