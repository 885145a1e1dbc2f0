import Link from "next/link";
import type { ReactNode } from "react";
import { ColumnHeadings, TableRegion } from "./table-region";
import type { EndUser } from "@/lib/model/end-user";
import { formatTimestamp } from "@/lib/platform/format";

/** The connections table's columns: their headings, and each cell's label when rows stack on a phone. */
const CONNECTION_COLUMNS = {
  integration: "Integration",
  id: "Connection id",
  created: "Created",
  lastRequest: "Last request",
  lastSuccess: "Last successful request",
};

/** Conductor's integration connections; `none` says why there are none, where "yet" would not be true. */
export function ConnectionsTable({
  connections,
  none = "No integration connections yet.",
}: {
  connections: EndUser["integrationConnections"];
  none?: string;
}) {
  if (connections.length === 0) return <p className="muted">{none}</p>;
  return (
    <TableRegion label="Integration connections">
      <table>
        <caption className="muted">Integration connections</caption>
        <ColumnHeadings columns={Object.values(CONNECTION_COLUMNS)} />
        <tbody>
          {connections.map((connection) => (
            <tr key={connection.id}>
              <td data-label={CONNECTION_COLUMNS.integration} className="nowrap">
                {connection.integrationSlug === "quickbooks_desktop"
                  ? "QuickBooks Desktop"
                  : connection.integrationSlug}
              </td>
              <td data-label={CONNECTION_COLUMNS.id} className="mono">
                {connection.id}
              </td>
              <td data-label={CONNECTION_COLUMNS.created} className="nowrap">
                {formatTimestamp(connection.createdAt)}
              </td>
              <td data-label={CONNECTION_COLUMNS.lastRequest} className="nowrap">
                {formatTimestamp(connection.lastRequestAt)}
              </td>
              <td data-label={CONNECTION_COLUMNS.lastSuccess} className="nowrap">
                {formatTimestamp(connection.lastSuccessfulRequestAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/**
 * The end-user's facts as one definition list; `children` adds more rows to it. For a customer
 * (`idsForSupport`), the ids are kept under a disclosure: they matter to support, not to them.
 */
export function EndUserFacts({
  endUser,
  idsForSupport = false,
  children,
}: {
  endUser: EndUser;
  idsForSupport?: boolean;
  children?: ReactNode;
}) {
  const ids = (
    <>
      <dt>Conductor id</dt>
      <dd className="mono">{endUser.id}</dd>
      <dt>Source id</dt>
      <dd className="mono">{endUser.sourceId}</dd>
    </>
  );
  return (
    <>
      <dl className="facts">
        <dt>Company</dt>
        <dd>{endUser.companyName}</dd>
        {!idsForSupport && ids}
        <dt>Email</dt>
        <dd>{endUser.email}</dd>
        <dt>Created</dt>
        <dd>{formatTimestamp(endUser.createdAt)}</dd>
        {children}
      </dl>
      {idsForSupport && (
        <details className="for-support">
          <summary>Details for support</summary>
          <dl className="facts">{ids}</dl>
          <p className="hint">
            <Link href={`/end-users/${endUser.id}`}>The account&apos;s own page</Link>, with what Conductor has on
            record.
          </p>
        </details>
      )}
    </>
  );
}
