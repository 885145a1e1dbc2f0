import Link from "next/link";
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type AuditRecord } from "@/lib/model/audit";
import { formatTimestamp } from "@/lib/platform/format";
import { TableRegion } from "./table-region";

const none = <span className="muted">—</span>;

/** Audit events, newest first; `acrossEndUsers` adds which end-user each is about and Conductor's request id. */
export function AuditTable({
  label,
  events,
  acrossEndUsers = false,
}: {
  label: string;
  events: AuditRecord[];
  acrossEndUsers?: boolean;
}) {
  return (
    <TableRegion label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">By</th>
            {acrossEndUsers && <th scope="col">End-user</th>}
            {acrossEndUsers && <th scope="col">Conductor request id</th>}
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id} data-action={event.action}>
              <td className="nowrap">{formatTimestamp(event.at)}</td>
              <td>{AUDIT_ACTIONS[event.action]}</td>
              <td>{event.actor === SYSTEM_ACTOR ? <span className="muted">system</span> : event.actor}</td>
              {acrossEndUsers && (
                <td>
                  {event.endUserId ? (
                    <Link className="mono" href={`/end-users/${event.endUserId}`}>
                      {event.endUserId}
                    </Link>
                  ) : (
                    none
                  )}
                  {event.sourceId && <span className="sub mono">{event.sourceId}</span>}
                </td>
              )}
              {acrossEndUsers && <td className="mono">{event.conductorRequestId ?? none}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
