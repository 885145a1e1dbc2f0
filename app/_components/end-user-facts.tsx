import Link from "next/link";
import type { ReactNode } from "react";
import { TableRegion } from "./table-region";
import type { EndUser } from "@/lib/model/end-user";
import { formatTimestamp } from "@/lib/platform/format";

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
        <thead>
          <tr>
            <th scope="col">Integration</th>
            <th scope="col">Connection id</th>
            <th scope="col">Created</th>
            <th scope="col">Last request</th>
            <th scope="col">Last successful request</th>
          </tr>
        </thead>
        <tbody>
          {connections.map((connection) => (
            <tr key={connection.id}>
              <td className="nowrap">
                {connection.integrationSlug === "quickbooks_desktop"
                  ? "QuickBooks Desktop"
                  : connection.integrationSlug}
              </td>
              <td className="mono">{connection.id}</td>
              <td className="nowrap">{formatTimestamp(connection.createdAt)}</td>
              <td className="nowrap">{formatTimestamp(connection.lastRequestAt)}</td>
              <td className="nowrap">{formatTimestamp(connection.lastSuccessfulRequestAt)}</td>
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
