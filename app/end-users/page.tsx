import type { Metadata } from "next";
import Link from "next/link";
import { TableRegion } from "@/app/_components/table-region";
import { describeAge, formatTimestamp } from "@/lib/platform/format";
import { browseEndUsers } from "@/lib/use-cases/end-users/list";
import { requireOperator } from "@/lib/web/auth/guards";
import { MarkOffboardedForm } from "./mark-offboarded-form";
import { RefreshForm } from "./refresh-form";

const withQuery = (params: Record<string, string>) => {
  const text = new URLSearchParams(params).toString();
  return text ? `?${text}` : "";
};

export const metadata: Metadata = { title: "End-users" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EndUsersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireOperator("/end-users");
  const { query, page, total, refreshedAt, problem } = await browseEndUsers(viewer, await searchParams);
  const q = query.q ?? "";
  const withDeleted = query.include === "deleted";
  /** This list's address with `extra` (the search carries over, and the toggle unless flipped). */
  const href = (extra: Record<string, string>, deleted = withDeleted) =>
    `/end-users${withQuery({ ...(q ? { q } : {}), ...(deleted ? { include: "deleted" } : {}), ...extra })}`;

  return (
    <>
      <h1>End-users</h1>
      <p className="lede">
        {total.live} cached{total.offboarded ? ` · ${total.offboarded} offboarded` : ""} · last full refresh{" "}
        {refreshedAt ? describeAge(refreshedAt) : "never"}. Pages read the cache, so they keep working when Conductor is
        slow or down.
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
          {withDeleted && <input type="hidden" name="include" value="deleted" />}
          <button type="submit">Search</button>
          {q && (
            <Link className="button secondary" href={withDeleted ? "/end-users?include=deleted" : "/end-users"}>
              Clear
            </Link>
          )}
        </form>
        <Link className="button secondary" href={href({}, !withDeleted)} data-testid="offboarded-toggle">
          {withDeleted ? "Hide offboarded" : "Show offboarded"}
        </Link>
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
                  <tr key={endUser.id} className={endUser.deletedAt ? "offboarded" : undefined}>
                    <td>
                      <Link href={`/end-users/${endUser.id}`}>{endUser.companyName}</Link>
                      {endUser.deletedAt && <span className="badge badge-muted">offboarded</span>}
                      {!endUser.deletedAt && endUser.offboarding && (
                        <span className="badge badge-bad">offboarding unconfirmed</span>
                      )}
                      <span className="sub mono">{endUser.id}</span>
                    </td>
                    <td>{endUser.email}</td>
                    <td className="mono">{endUser.sourceId}</td>
                    <td className="nowrap">{formatTimestamp(endUser.createdAt)}</td>
                    <td className="nowrap" title={formatTimestamp(endUser.deletedAt ?? endUser.syncedAt)}>
                      {endUser.deletedAt
                        ? `offboarded ${describeAge(endUser.deletedAt)}`
                        : describeAge(endUser.syncedAt)}
                      {endUser.missingUpstreamSince && !endUser.deletedAt && (
                        <>
                          <span className="badge badge-bad">missing upstream</span>
                          <MarkOffboardedForm endUserId={endUser.id} companyName={endUser.companyName} />
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      )}
      <nav className="pager" aria-label="Pages">
        {query.cursor ? <Link href={href({})}>← First page</Link> : <span />}
        {page.nextCursor && (
          <Link href={href({ cursor: page.nextCursor })} rel="next">
            Next page →
          </Link>
        )}
      </nav>
    </>
  );
}
