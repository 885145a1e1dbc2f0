import Link from "next/link";
import { AuditTable } from "@/app/_components/audit-table";
import type { Person } from "@/lib/model/actor";
import { endUserActivity } from "@/lib/use-cases/audit/activity";

/**
 * What happened to this end-user, from the audit trail (operators only); read once `after` has
 * settled, when given: what it records (a change this page's read of Conductor found) is listed.
 */
export async function Activity({
  viewer,
  endUser,
  after,
}: {
  viewer: Person;
  endUser: { id: string; sourceId: string };
  after?: Promise<unknown> | null;
}) {
  if (after) await after.catch(() => undefined);
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
        <AuditTable label="Activity events" events={events} />
      )}
    </section>
  );
}
