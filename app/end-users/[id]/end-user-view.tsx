import type { ReactNode } from "react";
import { ConnectionPanel } from "@/app/_components/connection/connection-panel";
import { ConnectionsTable, EndUserFacts } from "@/app/_components/end-user-facts";
import { Notice } from "@/app/_components/notice";
import type { Person } from "@/lib/model/actor";
import { lastQuickBooksAnswer } from "@/lib/model/connection-status";
import { describeAge, formatTimestamp } from "@/lib/platform/format";
import { checkTakesUpToSeconds } from "@/lib/use-cases/connection/check";
import { readFreshSeconds, type EndUserDetail, type Retrieved } from "@/lib/use-cases/end-users/retrieve";
import { Age } from "@/app/_components/age";

/** The customer's QuickBooks Desktop connection; operators can check it and send the setup link. */
function ConnectionSection({ endUser, operator }: { endUser: EndUserDetail; operator: boolean }) {
  return (
    <section aria-labelledby="quickbooks-connection">
      <h2 id="quickbooks-connection">QuickBooks Desktop connection</h2>
      <ConnectionPanel
        key={endUser.id}
        endUserId={endUser.id}
        initial={endUser.connection}
        answeredAt={lastQuickBooksAnswer(endUser.integrationConnections)}
        actions={operator ? ["check", "email"] : ["check"]}
        emailLabel="Send connect link"
        showDetails
        reader={operator ? "operator" : "customer"}
        checkSeconds={checkTakesUpToSeconds()}
        freshSeconds={readFreshSeconds()}
        permalink={`/end-users/${encodeURIComponent(endUser.id)}`}
      />
    </section>
  );
}

/**
 * An offboarding sent Conductor its DELETE and Conductor has not confirmed it: the end-user (and
 * its connection) may be gone already, so its connection is neither checked nor set up meanwhile.
 */
function ConnectionOnHold({ since, operator }: { since: Date; operator: boolean }) {
  return (
    <section aria-labelledby="quickbooks-connection">
      <h2 id="quickbooks-connection">QuickBooks Desktop connection</h2>
      <p className="notice notice-warn" role="status" data-testid="connection-on-hold">
        {operator
          ? `Offboarding sent Conductor its deletion ${formatTimestamp(since)}, unconfirmed: the connection is not checked and no setup link is sent until the offboarding is settled (see Offboard below).`
          : `We are removing this company from Conductor (asked ${formatTimestamp(since)}), and its QuickBooks Desktop connection goes with it, so it cannot be checked or set up now.`}
      </p>
    </section>
  );
}

/** The end-user as known now; `status` says where that knowledge comes from. */
export function EndUserView({
  endUser,
  status,
  operator = false,
}: {
  endUser: EndUserDetail;
  status: ReactNode;
  operator?: boolean;
}) {
  return (
    <>
      <h1>{endUser.companyName}</h1>
      {status}
      {endUser.missingUpstreamSince && (
        <p className="notice notice-warn">
          Not found in Conductor&apos;s list since {formatTimestamp(endUser.missingUpstreamSince)}.
        </p>
      )}
      <div className="card">
        <EndUserFacts endUser={endUser}>
          {/* Operators' concern: the customer whose page it is knows who they are. */}
          {operator && (
            <>
              <dt>Our user</dt>
              <dd>
                {endUser.user ? (
                  endUser.user.email
                ) : (
                  // Offboarding unlinks the row (the customer may onboard again), whether or not a user had it.
                  <span className="muted">
                    {endUser.deletedAt ? "none: an offboarded end-user keeps no link" : "no user with this id"}
                  </span>
                )}
              </dd>
            </>
          )}
          <dt>Cached</dt>
          <dd>
            {formatTimestamp(endUser.syncedAt)} (<Age at={endUser.syncedAt} />)
          </dd>
        </EndUserFacts>
      </div>
      {/* An offboarded end-user has no connection left to check or set up. */}
      {!endUser.deletedAt &&
        (endUser.offboarding?.deleteStartedAt ? (
          <ConnectionOnHold since={endUser.offboarding.deleteStartedAt} operator={operator} />
        ) : (
          <ConnectionSection endUser={endUser} operator={operator} />
        ))}
      <ConnectionsTable
        connections={endUser.integrationConnections}
        none={endUser.deletedAt ? "No integration connections: offboarding removed them." : undefined}
      />
    </>
  );
}

/** A copy that matches Conductor's record: read now, or within the last few seconds (CONDUCTOR_READ_FRESH_SECONDS). */
export function LiveStatus({ syncedAt }: { syncedAt: Date }) {
  return (
    <p className="lede">
      <span className="badge badge-ok">Live</span> Matches Conductor&apos;s record, read <Age at={syncedAt} />.
    </p>
  );
}

/** Conductor's copy streams in behind this, and replaces it, where JavaScript runs; elsewhere this stays. */
export function CheckingStatus({ syncedAt }: { syncedAt: Date }) {
  return (
    <>
      <p className="lede needs-js" role="status">
        <span className="spinner" aria-hidden="true" /> Showing the cached copy while Conductor is asked for a fresh
        one…
      </p>
      <noscript>
        <p className="lede" data-testid="cached-without-script">
          Showing the cached copy, read from Conductor {describeAge(syncedAt)}: JavaScript is off in this browser, so
          Conductor&apos;s fresh copy cannot replace it on this page.
        </p>
      </noscript>
    </>
  );
}

/** Waits for Conductor (bounded), then shows what it said, or the cache with the reason. */
export async function FreshEndUserView({
  viewer,
  refreshed,
}: {
  viewer: Person;
  refreshed: Promise<Retrieved<EndUserDetail>>;
}) {
  const operator = viewer.kind === "operator";
  const { endUser, fresh, notice, conductorRequestId } = await refreshed;
  const status = fresh ? (
    <LiveStatus syncedAt={endUser.syncedAt} />
  ) : (
    <Notice tone="warn" conductorRequestId={conductorRequestId} testId="stale-notice">
      {notice}
    </Notice>
  );
  return <EndUserView endUser={endUser} status={status} operator={operator} />;
}
