import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/app/_components/audit-table";
import { ArrivalSummary, MarksArrival } from "@/app/_components/focus-after-submit";
import { browseAudit } from "@/lib/use-cases/audit/trail";
import type { Person } from "@/lib/model/actor";
import { requireOperator } from "@/lib/web/auth/guards";
import { getViewer } from "@/lib/web/auth/viewer";
import { oncePerRequest } from "@/lib/web/request-memo";
import { AuditFilters, describeProblems, formValues, givenFilters } from "./filters";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The trail as this request shows it: read once, for the title and the page. */
const overview = (viewer: Person, raw: Awaited<SearchParams>) =>
  oncePerRequest(`audit-trail:${JSON.stringify(raw)}`, () => browseAudit(viewer, raw));

/** The title names the view, so a filter or a page change is announced (see app/end-users/view-words.ts). */
export async function generateMetadata({ searchParams }: { searchParams: SearchParams }): Promise<Metadata> {
  const raw = await searchParams;
  const viewer = await getViewer();
  if (viewer?.kind !== "operator") return { title: "Audit trail" };
  const { page } = await overview(viewer, raw);
  const filtered = Object.keys(givenFilters(raw)).length > 0;
  return { title: `Audit trail${filtered ? ", filtered" : ""}${page.prevCursor ? ", older events" : ""}` };
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireOperator("/audit");
  const raw = await searchParams;
  const { page, problems, notice, companyNames } = await overview(viewer, raw);
  const filters = givenFilters(raw);
  // Pages keep their size (unless it could not be read); the CSV link gets the filters alone: every matching event.
  const size: Record<string, string> =
    typeof raw.limit === "string" && raw.limit && !notice ? { limit: raw.limit } : {};
  const link = (path: string, extra: Record<string, string> = {}) => {
    const query = new URLSearchParams({ ...filters, ...extra }).toString();
    return query ? `${path}?${query}` : path;
  };
  const filtered = Object.keys(filters).length > 0;

  return (
    <>
      <h1>Audit trail</h1>
      <p className="lede">
        Every change to end-users, newest first: who did it, when, and Conductor&apos;s request id.
      </p>
      <AuditFilters values={formValues(raw)} problems={problems ?? {}} pageSize={size.limit} />
      {notice && (
        <p className="notice notice-warn" role="status">
          {notice}
        </p>
      )}
      {problems ? (
        <div className="notice notice-error" role="alert">
          <ArrivalSummary key={Object.keys(problems).join()} focusOnLoad>
            {describeProblems(problems)}
          </ArrivalSummary>
        </div>
      ) : page.data.length === 0 ? (
        <ArrivalSummary key={JSON.stringify(raw)} className="card" testId="audit-empty">
          {filtered ? (
            <>
              <MarksArrival on="link" />
              No event matches these filters. <Link href="/audit">Clear the filters</Link> to see every event.
            </>
          ) : (
            "No activity yet. Events appear here as customers onboard and operators act."
          )}
        </ArrivalSummary>
      ) : (
        <>
          <ArrivalSummary key={JSON.stringify(raw)} testId="audit-summary">
            {describeShown(page.data.length, filtered, Boolean(page.nextCursor))}
          </ArrivalSummary>
          <p>
            <a href={link("/api/audit.csv")} download>
              Download all matching events as CSV
            </a>
          </p>
          <AuditTable label="Audit events" events={page.data} companyNames={companyNames} />
        </>
      )}
      {(page.prevCursor || page.nextCursor) && (
        <nav className="pager" aria-label="Pages">
          <MarksArrival on="link" />
          <span className="pager-back">
            {/* Whenever newer events come before this page, however it was reached. */}
            {page.prevCursor && (
              <>
                <Link href={link("/audit", size)}>« Newest</Link>
                <Link href={link("/audit", { ...size, cursor: page.prevCursor })} rel="prev">
                  ← Newer events
                </Link>
              </>
            )}
          </span>
          {page.nextCursor && (
            <Link href={link("/audit", { ...size, cursor: page.nextCursor })} rel="next">
              Older events →
            </Link>
          )}
        </nav>
      )}
    </>
  );
}

/** How many events this page shows; the count of every match would cost a scan of the trail. */
function describeShown(count: number, filtered: boolean, more: boolean): string {
  const events = `${count} ${filtered ? "matching " : ""}${count === 1 ? "event" : "events"}`;
  return `${events} on this page, newest first${more ? "; older ones on the next page" : ""}.`;
}
