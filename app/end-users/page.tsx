import type { Metadata } from "next";
import Link from "next/link";
import { TableRegion } from "@/app/_components/table-region";
import { describeAge, formatTimestamp } from "@/lib/platform/format";
import { browseEndUsers } from "@/lib/use-cases/end-users/list";
import { requireOperator } from "@/lib/web/auth/guards";
import { RefreshForm } from "./refresh-form";

export const metadata: Metadata = { title: "End-users" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EndUsersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireOperator("/end-users");
  const { query, page, total, refreshedAt, problem } = await browseEndUsers(viewer, await searchParams);
  const q = query.q ?? "";

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
          <button type="submit">Search</button>
          {q && (
            <Link className="button secondary" href="/end-users">
              Clear
            </Link>
          )}
        </form>
        <RefreshForm />
      </div>
      {problem && <p className="notice notice-warn">{problem}</p>}
      {page.data.length === 0 ? (
        <p className="card">
          {q ? `No cached end-user matches “${q}”.` : "No end-users cached yet. Refresh from Conductor to import them."}
        </p>
      ) : (
        <TableRegion label="End-users">
          <table>
            <thead>
              <tr>
                <th scope="col">Company</th>
                <th scope="col">Email</th>
                <th scope="col">Source id</th>
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
        {query.cursor ? (
          <Link href={q ? `/end-users?q=${encodeURIComponent(q)}` : "/end-users"}>← First page</Link>
        ) : (
          <span />
        )}
        {page.nextCursor && (
          <Link href={`/end-users?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor })}`} rel="next">
            Next page →
          </Link>
        )}
      </nav>
    </>
  );
}
