import { auditTrail } from "@/lib/data/audit";
import type { AuditAction } from "@/lib/db/generated/enums";
import { formatTimestamp } from "@/lib/format";

const describe: Record<AuditAction, string> = {
  END_USER_CREATED: "Created in Conductor",
  END_USER_REPAIRED: "Found in Conductor after an unconfirmed attempt, and recorded",
  ONBOARDING_FAILED: "Conductor refused the creation",
  ONBOARDING_OUTCOME_UNKNOWN: "Creation sent, Conductor did not confirm",
  CACHE_REFRESHED: "Cache refreshed",
  PROVIDER_LINKED: "Provider end-user linked",
  PROVIDER_REFRESHED: "Provider end-user refreshed",
  PROVIDER_UNLINKED: "Provider end-user unlinked",
};

/** What happened to this end-user, from the audit trail (operators only). */
export async function Activity({ endUser }: { endUser: { id: string; sourceId: string } }) {
  const events = await auditTrail(endUser);
  return (
    <section aria-labelledby="activity">
      <h2 id="activity">Activity</h2>
      {events.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
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
                <td>{describe[event.action]}</td>
                <td>{event.actor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
