import { ConnectionPanel } from "@/app/_components/connection/connection-panel";
import { adviceOf } from "@/app/_components/connection/wording";
import { ConnectionsTable, EndUserFacts } from "@/app/_components/end-user-facts";
import { NextStepHeading } from "@/app/_components/focus-after-submit";
import { lastQuickBooksAnswer } from "@/lib/model/connection-status";
import type { EndUser } from "@/lib/model/end-user";
import { env } from "@/lib/platform/env";
import { describeLifetime, formatTimestamp } from "@/lib/platform/format";
import { checkTakesUpToSeconds } from "@/lib/use-cases/connection/check";
import { readFreshSeconds } from "@/lib/use-cases/end-users/retrieve";
import type { OnboardingStatus } from "@/lib/use-cases/onboarding/status";
import { journeyStep } from "./journey";
import { Stepper } from "./stepper";
import { UnusedNameNotice } from "./unused-name-notice";

/** Step 2: the customer's QuickBooks Desktop, connected through Conductor's setup. */
function ConnectStep({ endUser }: { endUser: EndUser }) {
  return (
    <section aria-labelledby="step-quickbooks">
      <NextStepHeading id="step-quickbooks">Connect QuickBooks Desktop</NextStepHeading>
      {endUser.connection.status === "needs_attention" ? (
        // The setup is done: what QuickBooks Desktop needs is someone at its computer, then a check.
        <p data-testid="needs-attention-intro">
          Your QuickBooks Desktop was set up, but it did not answer when Conductor last asked. On the{" "}
          <strong>Windows computer that runs QuickBooks Desktop</strong>,{" "}
          {adviceOf(endUser.connection)
            ? "follow Conductor's advice below"
            : "open QuickBooks Desktop on your company file, with QuickBooks Web Connector"}
          , then press Check again. Open the setup again only if QuickBooks Desktop moved to another computer or company
          file; its link can also be emailed to <strong>{endUser.email}</strong>.
        </p>
      ) : endUser.connection.status === "in_progress" ? (
        // The setup is done: what is left is QuickBooks Desktop answering, at its computer.
        <p data-testid="in-progress-intro">
          Your QuickBooks Desktop setup is done, and Conductor is waiting for QuickBooks Desktop to answer. On the{" "}
          <strong>Windows computer that runs QuickBooks Desktop</strong>, keep QuickBooks Desktop open on your company
          file, with QuickBooks Web Connector running
          <span className="needs-js">: this page shows Connected as soon as it answers</span>
          <noscript>, then press Check now: without JavaScript this page does not follow the status</noscript>. Open the
          setup again only if it was done on the wrong computer or company file; its link can also be emailed to{" "}
          <strong>{endUser.email}</strong>.
        </p>
      ) : endUser.connection.status === "connected" ? (
        <p data-testid="connected-intro">
          Your QuickBooks Desktop is connected. To connect it again (a new Windows computer, or another company file),
          open the setup on the computer that runs QuickBooks Desktop, or email yourself the link: it goes to{" "}
          <strong>{endUser.email}</strong> and works once, for{" "}
          {describeLifetime(env.CONNECT_LINK_EXPIRY_MINUTES * 60_000)}.
        </p>
      ) : (
        <>
          <p>
            Finish this on the <strong>Windows computer that runs QuickBooks Desktop</strong>: the setup has you
            download a file for QuickBooks Web Connector and open it there, with QuickBooks open on your company file.
          </p>
          <p className="hint">
            Working on another computer? Email yourself the link: it goes to <strong>{endUser.email}</strong> and works
            once, for {describeLifetime(env.CONNECT_LINK_EXPIRY_MINUTES * 60_000)}.{" "}
            {/* It follows the status only where JavaScript runs; elsewhere the check tells it. */}
            <span className="needs-js">This page shows the status as soon as QuickBooks Desktop answers.</span>
          </p>
        </>
      )}
      <ConnectionPanel
        key={endUser.id}
        endUserId={endUser.id}
        initial={endUser.connection}
        answeredAt={lastQuickBooksAnswer(endUser.integrationConnections)}
        actions={["open", "email", "check"]}
        checkSeconds={checkTakesUpToSeconds()}
        freshSeconds={readFreshSeconds()}
        syncedAt={endUser.syncedAt}
      />
      <ConnectionsTable connections={endUser.integrationConnections} />
    </section>
  );
}

/** Conductor's list no longer has the end-user: there is nothing to connect QuickBooks Desktop to. */
function MissingUpstream({ companyName, since }: { companyName: string; since: Date }) {
  return (
    <section aria-labelledby="step-quickbooks">
      <h2 id="step-quickbooks">Connect QuickBooks Desktop</h2>
      <p className="notice notice-warn" role="status" data-testid="missing-upstream">
        Conductor no longer lists <strong>{companyName}</strong> (since {formatTimestamp(since)}), so QuickBooks Desktop
        cannot be connected to it or checked. Contact us and we will sort it out with Conductor.
      </p>
    </section>
  );
}

/**
 * An operator's offboarding has sent Conductor its DELETE, not yet confirmed: the company is on its
 * way out of Conductor, its connection with it, so nothing is offered to set up or check.
 */
function BeingOffboarded({ companyName, since }: { companyName: string; since: Date }) {
  return (
    <section aria-labelledby="step-quickbooks">
      <h2 id="step-quickbooks">Connect QuickBooks Desktop</h2>
      <p className="notice notice-warn" role="status" data-testid="being-offboarded">
        We are removing <strong>{companyName}</strong> from Conductor (asked {formatTimestamp(since)}), and its
        QuickBooks Desktop connection goes with it, so it cannot be set up or checked now. Once Conductor confirms the
        removal, you can set up your company again on this page. If you did not expect this, contact us.
      </p>
    </section>
  );
}

/**
 * The page below its heading once the company is set up: the page renders it, and so does the
 * onboarding action that set the company up, in its answer.
 */
export function CompanyReady({
  status,
  sentName,
}: {
  status: Extract<OnboardingStatus, { kind: "done" }>;
  sentName: string | undefined;
}) {
  return (
    <>
      <Stepper step={journeyStep(status).step} />
      <section aria-labelledby="step-company">
        <h2 id="step-company">Your company</h2>
        {!status.missingUpstreamSince && !status.offboardingSince && (
          <p className="notice notice-ok" role="status">
            Your company is set up with Conductor.
          </p>
        )}
        <UnusedNameNotice endUserId={status.endUser.id} companyName={status.endUser.companyName} sentName={sentName} />
        <div className="card">
          <EndUserFacts endUser={status.endUser} idsForSupport />
        </div>
      </section>
      {status.offboardingSince ? (
        <BeingOffboarded companyName={status.endUser.companyName} since={status.offboardingSince} />
      ) : status.missingUpstreamSince ? (
        <MissingUpstream companyName={status.endUser.companyName} since={status.missingUpstreamSince} />
      ) : (
        <ConnectStep endUser={status.endUser} />
      )}
    </>
  );
}

/** The same, as the onboarding action puts it in its answer (its module cannot hold JSX). */
export const companyReady = (status: Extract<OnboardingStatus, { kind: "done" }>, sentName: string | undefined) => (
  <CompanyReady status={status} sentName={sentName} />
);
