import type { Metadata } from "next";
import { ConnectionsTable, EndUserFacts } from "@/app/_components/end-user-facts";
import { Notice } from "@/app/_components/notice";
import { formatTimestamp } from "@/lib/platform/format";
import { onboardingStatus } from "@/lib/use-cases/onboarding/status";
import { requireCustomer } from "@/lib/web/auth/guards";
import { OnboardingForm } from "./onboarding-form";
import { RefreshWhilePending } from "./refresh-while-pending";

export const metadata: Metadata = { title: "Connect your company" };

export default async function OnboardingPage() {
  const viewer = await requireCustomer("/onboarding");
  const status = await onboardingStatus(viewer);

  return (
    <>
      <h1>Connect your company</h1>
      {status.kind === "done" && (
        <>
          <p className="notice notice-ok" role="status">
            Your company is connected to Conductor.
          </p>
          <div className="card">
            <EndUserFacts endUser={status.endUser} linkToDetail />
          </div>
          <ConnectionsTable connections={status.endUser.integrationConnections} />
        </>
      )}
      {status.kind === "in_progress" && (
        <div className="notice notice-info" role="status">
          <p>
            <span className="spinner" aria-hidden="true" /> Setting up <strong>{status.claim.companyName}</strong> with
            Conductor…
          </p>
          <RefreshWhilePending />
        </div>
      )}
      {status.kind === "confirming" && (
        <div className="card narrow">
          <Notice tone="warn" conductorRequestId={status.claim.conductorRequestId}>
            We asked Conductor to create <strong>{status.claim.companyName}</strong> but did not hear back. We check
            with Conductor before trying again, so you will never end up with two accounts.
          </Notice>
          <OnboardingForm defaultCompanyName={status.claim.companyName} submitLabel="Check again" />
        </div>
      )}
      {status.kind === "failed" && (
        <div className="card narrow">
          <Notice tone="error" conductorRequestId={status.claim.conductorRequestId}>
            {status.claim.errorMessage ?? "Conductor did not accept the request."}
          </Notice>
          <OnboardingForm defaultCompanyName={status.claim.companyName} submitLabel="Try again" />
        </div>
      )}
      {status.kind === "not_started" && (
        <div className="card narrow">
          {status.offboarded && (
            <p className="notice notice-info" data-testid="offboarded-before">
              <strong>{status.offboarded.companyName}</strong> was offboarded on{" "}
              {formatTimestamp(status.offboarded.deletedAt)}: its Conductor account and QuickBooks connection were
              removed. You can connect your company again below.
            </p>
          )}
          <p>
            We create your company&apos;s Conductor account for <strong>{viewer.email}</strong>, your verified sign-in
            email.
          </p>
          <OnboardingForm />
        </div>
      )}
    </>
  );
}
