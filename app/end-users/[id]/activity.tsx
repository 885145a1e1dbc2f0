import Link from "next/link";
import { TableRegion } from "@/app/_components/table-region";
import type { Person } from "@/lib/model/actor";
import { AUDIT_ACTIONS } from "@/lib/model/audit";
import { formatTimestamp } from "@/lib/platform/format";
import { endUserActivity } from "@/lib/use-cases/audit/activity";

/** What happened to this end-user, from the audit trail (operators only). */
export async function Activity({ viewer, endUser }: { viewer: Person; endUser: { id: string; sourceId: string } }) {
  const events = await endUserActivity(viewer, endUser);
  return (
    <section aria-labelledby="activity">
      <h2 id="activity">Activity</h2>
      <p>
        <Link href={`/audit?endUserId=${encodeURIComponent(endUser.id)}`}>This end-user in the audit trail →</Link>
      </p>
      {events.length === 0 ? (
        <p className="muted">
          No activity yet. Creating, refreshing, connecting, linking and offboarding this end-user are recorded here.
        </p>
      ) : (
        <TableRegion label="Activity">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap">{formatTimestamp(event.at)}</td>
                  <td>{AUDIT_ACTIONS[event.action]}</td>
                  <td>{event.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}
