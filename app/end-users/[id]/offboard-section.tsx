import { Notice } from "@/app/_components/notice";
import { formatTimestamp } from "@/lib/platform/format";
import type { EndUserDetail } from "@/lib/use-cases/end-users/retrieve";
import { OffboardForm } from "./offboard-form";

/** The operator's Offboard action, saying what follows, and an unconfirmed earlier attempt if any. */
export function OffboardSection({ endUser }: { endUser: EndUserDetail }) {
  const attempt = endUser.offboarding;
  return (
    <section aria-labelledby="offboard">
      <h2 id="offboard">Offboard</h2>
      <div className="card narrow danger-zone">
        {attempt?.deleteStartedAt && (
          <Notice tone="warn" conductorRequestId={attempt.conductorRequestId} testId="offboarding-pending">
            Offboarding asked by {attempt.requestedBy} is not confirmed: Conductor did not answer the deletion sent{" "}
            {formatTimestamp(attempt.deleteStartedAt)}. Offboarding again first asks Conductor whether it is gone, so
            nothing is deleted twice; the reconcile job does the same on its own.
          </Notice>
        )}
        <p>
          Offboarding deletes <strong>{endUser.companyName}</strong>&apos;s end-user in Conductor:
        </p>
        <ul>
          <li>Conductor removes all of its connections, so QuickBooks Desktop stops syncing for this customer.</li>
          <li>Our record stays, marked offboarded, with its audit trail; Altur and Dify links are removed.</li>
          <li>The customer may onboard again afterwards, which creates a new end-user.</li>
        </ul>
        <OffboardForm endUserId={endUser.id} companyName={endUser.companyName} />
      </div>
    </section>
  );
}
