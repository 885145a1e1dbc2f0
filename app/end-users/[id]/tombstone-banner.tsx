import Link from "next/link";
import { SubmitOutcome } from "@/app/_components/focus-after-submit";
import { formatTimestamp } from "@/lib/platform/format";

/** Shown instead of Conductor's copy for an offboarded end-user (Conductor no longer has it). */
export function TombstoneBanner({
  deletedAt,
  deletedBy,
  forCustomer,
}: {
  deletedAt: Date;
  deletedBy: string | null;
  /** For the customer: the company their end-user is now, when they onboarded again since. */
  forCustomer: { setUpAgainAs: string | null } | null;
}) {
  // Just offboarded from this page, the banner takes the focus from the form it replaces.
  return (
    <SubmitOutcome>
      <div className="notice notice-warn" role="status" data-testid="tombstone-banner">
        <p>
          <span className="badge badge-bad">Offboarded</span> on {formatTimestamp(deletedAt)}
          {deletedBy && !forCustomer ? ` by ${deletedBy}` : ""}. Conductor deleted this end-user and its connections;
          what follows is our record of it as it was.
        </p>
        {forCustomer?.setUpAgainAs ? (
          <p data-testid="set-up-again">
            Your company is set up again since, as <strong>{forCustomer.setUpAgainAs}</strong>: its connection is on{" "}
            <Link href="/onboarding">Onboarding</Link>.
          </p>
        ) : (
          forCustomer && (
            <p>
              You can connect your company again from <Link href="/onboarding">Onboarding</Link>.
            </p>
          )
        )}
      </div>
    </SubmitOutcome>
  );
}
