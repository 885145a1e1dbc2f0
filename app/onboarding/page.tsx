import type { Metadata } from "next";
import { Notice } from "@/app/_components/notice";
import { formatTimestamp } from "@/lib/platform/format";
import type { Person } from "@/lib/model/actor";
import { requireCustomer } from "@/lib/web/auth/guards";
import type { OnboardingStatus } from "@/lib/use-cases/onboarding/status";
import { currentOnboardingStatus, unusedName } from "./current-status";
import { journeyStep } from "./journey";
import { SubmitOutcome } from "@/app/_components/focus-after-submit";
import { OnboardingForm } from "./onboarding-form";
import { RefreshWhilePending } from "./refresh-while-pending";
import { Stepper } from "./stepper";
import { CompanyReady } from "./company-ready";
import { StepsInPlace } from "./steps-in-place";

export const metadata: Metadata = { title: "Connect your company" };

/** Step 1: the company is not set up yet, is being set up, or its setup needs another try. */
function CompanyNotReady({ viewer, status }: { viewer: Person; status: Exclude<OnboardingStatus, { kind: "done" }> }) {
  return (
    <>
      <Stepper step={journeyStep(status).step} />
      {status.kind === "in_progress" && (
        <SubmitOutcome>
          <div className="notice notice-info" role="status">
            <p>
              <span className="spinner" aria-hidden="true" /> Setting up <strong>{status.claim.companyName}</strong>{" "}
              with Conductor…
            </p>
            <RefreshWhilePending />
          </div>
        </SubmitOutcome>
      )}
      {status.kind === "confirming" && (
        <div className="card narrow">
          <SubmitOutcome>
            <Notice tone="warn" conductorRequestId={status.claim.conductorRequestId}>
              We asked Conductor to create <strong>{status.claim.companyName}</strong>
              {status.claim.errorMessage
                ? ` and could not tell whether it did: ${status.claim.errorMessage}`
                : " but did not hear back."}{" "}
              We check with Conductor before trying again, so you will never end up with two accounts.
            </Notice>
          </SubmitOutcome>
          <OnboardingForm
            signedInAs={viewer.id}
            defaultCompanyName={status.claim.companyName}
            submitLabel="Check again"
          />
        </div>
      )}
      {status.kind === "failed" && <Refused claim={status.claim} signedInAs={viewer.id} />}
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
          {/* The former name, to keep or change: the notice above just named it. */}
          <OnboardingForm signedInAs={viewer.id} defaultCompanyName={status.offboarded?.companyName} />
        </div>
      )}
    </>
  );
}

type FailedClaim = Extract<OnboardingStatus, { kind: "failed" }>["claim"];

/**
 * Conductor refused the creation, so nothing was created. A refusal of the request as invalid is
 * of what the customer typed, the company name (the rest comes from their account): the field
 * says so, to be changed. Any other refusal (a limit, our key) may pass as it is a while later.
 */
function Refused({ claim, signedInAs }: { claim: FailedClaim; signedInAs: string }) {
  const nameRefused = claim.errorCode === "upstream_invalid_request";
  return (
    <div className="card narrow">
      <SubmitOutcome>
        <Notice tone="error" conductorRequestId={claim.conductorRequestId}>
          {nameRefused && (
            <>
              Conductor did not accept the company name <strong>{claim.companyName}</strong>, so nothing was
              created.{" "}
            </>
          )}
          {claim.errorMessage ?? "Conductor did not accept the request."}
        </Notice>
      </SubmitOutcome>
      <OnboardingForm
        signedInAs={signedInAs}
        defaultCompanyName={claim.companyName}
        submitLabel={nameRefused ? "Submit again" : "Try again"}
        refusal={nameRefused ? "was not accepted by Conductor: change it, then submit it again" : undefined}
      />
    </div>
  );
}

export default async function OnboardingPage() {
  const viewer = await requireCustomer("/onboarding");
  const status = await currentOnboardingStatus(viewer);
  const sentName = await unusedName(viewer);

  // One child either way: the step the onboarding action renders takes this one's place as is.
  return (
    <>
      <h1>Connect your company</h1>
      <StepsInPlace>
        {status.kind === "done" ? (
          <CompanyReady status={status} sentName={sentName} />
        ) : (
          <CompanyNotReady viewer={viewer} status={status} />
        )}
      </StepsInPlace>
    </>
  );
}
