import Link from "next/link";
import { ConnectionBadge } from "@/app/_components/connection/connection-badge";
import { ColumnHeadings, TableRegion } from "@/app/_components/table-region";
import { formatTimestamp } from "@/lib/platform/format";
import type { EndUsersOverview } from "@/lib/use-cases/end-users/list";
import { MarkOffboardedForm } from "./mark-offboarded-form";
import { Age } from "@/app/_components/age";

/** The list's columns: their headings, and each cell's label when rows stack on a phone. */
const COLUMNS = {
  company: "Company",
  email: "Email",
  sourceId: "Source id",
  status: "QuickBooks Desktop",
  created: "Created",
  synced: "Synced",
};

/** One page of the list: each end-user with its status, age and, when Conductor lost it, a way to mark it offboarded. */
export function EndUsersTable({ rows }: { rows: EndUsersOverview["page"]["data"] }) {
  return (
    <TableRegion label="End-users">
      <table aria-label="End-users">
        <ColumnHeadings columns={Object.values(COLUMNS)} />
        <tbody>
          {rows.map((endUser) => {
            return (
              <tr key={endUser.id} className={endUser.deletedAt ? "offboarded" : undefined}>
                <td data-label={COLUMNS.company}>
                  <Link href={`/end-users/${endUser.id}`}>{endUser.companyName}</Link>
                  {endUser.deletedAt && <span className="badge badge-muted">offboarded</span>}
                  {!endUser.deletedAt && endUser.offboarding && (
                    <span className="badge badge-bad">offboarding unconfirmed</span>
                  )}
                  <span className="sub mono">{endUser.id}</span>
                </td>
                <td data-label={COLUMNS.email}>{endUser.email}</td>
                <td data-label={COLUMNS.sourceId} className="mono">
                  {endUser.sourceId}
                </td>
                <td data-label={COLUMNS.status} className="nowrap">
                  {endUser.deletedAt ? (
                    <span className="hint">None: offboarded</span>
                  ) : (
                    <ConnectionBadge status={endUser.connection.status} />
                  )}
                </td>
                <td data-label={COLUMNS.created} className="nowrap">
                  {formatTimestamp(endUser.createdAt)}
                </td>
                <td
                  data-label={COLUMNS.synced}
                  className="nowrap"
                  title={formatTimestamp(endUser.deletedAt ?? endUser.syncedAt)}
                >
                  {endUser.deletedAt ? (
                    <>
                      offboarded <Age at={endUser.deletedAt} />
                    </>
                  ) : (
                    <Age at={endUser.syncedAt} />
                  )}
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
  );
}
