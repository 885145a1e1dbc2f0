import type { Metadata } from "next";
import Link from "next/link";
import { TableRegion } from "@/app/_components/table-region";
import { AUDIT_ACTIONS, SYSTEM_ACTOR } from "@/lib/model/audit";
import { formatTimestamp } from "@/lib/platform/format";
import { browseAudit } from "@/lib/use-cases/audit/trail";
import { requireOperator } from "@/lib/web/auth/guards";
import { AuditFilters, FILTER_NAMES } from "./filters";

export const metadata: Metadata = { title: "Audit trail" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireOperator("/audit");
  const raw = await searchParams;
  const { page, problems } = await browseAudit(viewer, raw);
  const filters = Object.fromEntries(
    FILTER_NAMES.flatMap((name) => (typeof raw[name] === "string" && raw[name] ? [[name, raw[name]]] : [])),
  );
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
      <AuditFilters values={filters} problems={problems ?? {}} />
      {problems ? (
        <p className="notice notice-error" role="alert">
          These filters could not be read: {Object.keys(problems).join(", ")}. Correct them and filter again.
        </p>
      ) : page.data.length === 0 ? (
        <p className="card" data-testid="audit-empty">
          {filtered ? (
            <>
              No event matches these filters. <Link href="/audit">Clear the filters</Link> to see every event.
            </>
          ) : (
            "No activity yet. Events appear here as customers onboard and operators act."
          )}
        </p>
      ) : (
        <>
          <p>
            <a href={link("/api/audit.csv")} download>
              Download these events as CSV
            </a>
          </p>
          <TableRegion label="Audit events">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">By</th>
                  <th scope="col">End-user</th>
                  <th scope="col">Conductor request id</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((event) => (
                  <tr key={event.id} data-action={event.action}>
                    <td className="nowrap">{formatTimestamp(event.at)}</td>
                    <td>{AUDIT_ACTIONS[event.action]}</td>
                    <td>{event.actor === SYSTEM_ACTOR ? <span className="muted">system</span> : event.actor}</td>
                    <td>
                      {event.endUserId ? (
                        <Link className="mono" href={`/end-users/${event.endUserId}`}>
                          {event.endUserId}
                        </Link>
                      ) : (
                        <span className="muted">—</span>
                      )}
                      {event.sourceId && <span className="sub mono">{event.sourceId}</span>}
                    </td>
                    <td className="mono">{event.conductorRequestId ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </>
      )}
      <nav className="pager" aria-label="Pages">
        {typeof raw.cursor === "string" && raw.cursor ? <Link href={link("/audit")}>← Newest</Link> : <span />}
        {page.nextCursor && (
          <Link href={link("/audit", { cursor: page.nextCursor })} rel="next">
            Older events →
          </Link>
        )}
      </nav>
    </>
  );
}
