import type { Metadata } from "next";
import Link from "next/link";
import { ConnectionBadge } from "@/app/_components/connection/connection-badge";
import { statusLabel } from "@/app/_components/connection/wording";
import { TableRegion } from "@/app/_components/table-region";
import { CONNECTION_STATUSES, type ConnectionStatus } from "@/lib/model/connection";
import { describeAge, formatTimestamp } from "@/lib/platform/format";
import { browseEndUsers } from "@/lib/use-cases/end-users/list";
import { requireOperator } from "@/lib/web/auth/guards";
import { RefreshForm } from "./refresh-form";

export const metadata: Metadata = { title: "End-users" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const listHref = (q: string, status?: ConnectionStatus, cursor?: string) => {
  const query = new URLSearchParams({
    ...(q ? { q } : {}),
    ...(status ? { status } : {}),
    ...(cursor ? { cursor } : {}),
  });
  return query.size ? `/end-users?${query}` : "/end-users";
};

/** One link per connection status (and "All"), each with how many the search matches. */
function StatusFilters({
  q,
  current,
  counts,
}: {
  q: string;
  current?: ConnectionStatus;
  counts: Record<ConnectionStatus, number>;
}) {
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const chip = (status: ConnectionStatus | undefined, label: string, count: number) => (
    <li key={status ?? "all"}>
      <Link
        className={status === current ? "button" : "button secondary"}
        href={listHref(q, status)}
        aria-current={status === current ? "page" : undefined}
      >
        {label} <span className="count">{count.toLocaleString("en-US")}</span>
      </Link>
    </li>
  );
  return (
    <nav aria-label="Connection status" className="filters">
      <ul>
        {chip(undefined, "All", all)}
        {CONNECTION_STATUSES.map((status) => chip(status, statusLabel(status), counts[status]))}
      </ul>
    </nav>
  );
}

export default async function EndUsersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireOperator("/end-users");
  const { query, page, counts, total, refreshedAt, problem } = await browseEndUsers(viewer, await searchParams);
  const q = query.q ?? "";
  const status = query.status;

  return (
    <>
      <h1>End-users</h1>
      <p className="lede">
        {total} cached · last full refresh {refreshedAt ? describeAge(refreshedAt) : "never"}. Pages read the cache, so
        they keep working when Conductor is slow or down.
      </p>
      <div className="toolbar">
        <form role="search" action="/end-users">
          <div>
            <label htmlFor="q">Search</label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={q}
              placeholder="Company, email, sourceId or end_usr_… id"
            />
          </div>
          {status && <input type="hidden" name="status" value={status} />}
          <button type="submit">Search</button>
          {q && (
            <Link className="button secondary" href={listHref("", status)}>
              Clear
            </Link>
          )}
        </form>
        <RefreshForm />
      </div>
      <StatusFilters q={q} current={status} counts={counts} />
      {problem && <p className="notice notice-warn">{problem}</p>}
      {page.data.length === 0 ? (
        <p className="card">
          {q || status
            ? `No cached end-user matches${q ? ` “${q}”` : ""}${status ? ` with status ${statusLabel(status)}` : ""}.`
            : "No end-users cached yet. Refresh from Conductor to import them."}
        </p>
      ) : (
        <TableRegion label="End-users">
          <table>
            <thead>
              <tr>
                <th scope="col">Company</th>
                <th scope="col">Email</th>
                <th scope="col">Source id</th>
                <th scope="col">QuickBooks Desktop</th>
                <th scope="col">Created</th>
                <th scope="col">Synced</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((endUser) => {
                return (
                  <tr key={endUser.id}>
                    <td>
                      <Link href={`/end-users/${endUser.id}`}>{endUser.companyName}</Link>
                      <span className="sub mono">{endUser.id}</span>
                    </td>
                    <td>{endUser.email}</td>
                    <td className="mono">{endUser.sourceId}</td>
                    <td className="nowrap">
                      <ConnectionBadge status={endUser.connection.status} />
                    </td>
                    <td className="nowrap">{formatTimestamp(endUser.createdAt)}</td>
                    <td className="nowrap" title={formatTimestamp(endUser.syncedAt)}>
                      {describeAge(endUser.syncedAt)}
                      {endUser.missingUpstreamSince && <span className="badge badge-bad">missing upstream</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      )}
      <nav className="pager" aria-label="Pages">
        {query.cursor ? <Link href={listHref(q, status)}>← First page</Link> : <span />}
        {page.nextCursor && (
          <Link href={listHref(q, status, page.nextCursor)} rel="next">
            Next page →
          </Link>
        )}
      </nav>
    </>
  );
}
