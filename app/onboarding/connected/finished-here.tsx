import Link from "next/link";
import { formatTimestamp } from "@/lib/platform/format";
import { CONNECTED_POLL_MS, CONNECTION_POLL_MS } from "@/lib/model/connection-pace";
import { readFreshSeconds } from "@/lib/use-cases/end-users/retrieve";

/**
 * How soon the onboarding page elsewhere shows a setup completed here, in seconds rounded up to 5:
 * its reads, at its pace, are answered from a copy up to CONDUCTOR_READ_FRESH_SECONDS old, and
 * the page then follows.
 */
const shownWithin = (pollMs: number) => Math.ceil((readFreshSeconds() + pollMs / 1000 + 2) / 5) * 5;

/** Said of the onboarding page elsewhere: sooner before it shows a connection than once it does. */
function ShownElsewhere() {
  return (
    <>
      by itself, within about {shownWithin(CONNECTION_POLL_MS)} seconds (within about {shownWithin(CONNECTED_POLL_MS)}{" "}
      where it already showed QuickBooks Desktop connected, as it then reads less often)
    </>
  );
}

/**
 * For a browser where no customer is signed in: the Windows computer the setup link was emailed
 * to, or an operator's (who may open a link they sent); or where another company's customer is
 * (a computer that runs QuickBooks for several). Nothing says whose setup it was.
 */
export function FinishedHere({
  viewer = "nobody",
  endUserId,
  checking = false,
}: {
  viewer?: "nobody" | "operator" | "another customer";
  /** For an operator: the end-user the setup was for, when the address names one. */
  endUserId?: string;
  /** Whether the connection is checked once this page is sent, for the onboarding page and the operators. */
  checking?: boolean;
}) {
  return (
    <>
      <h1>QuickBooks Desktop setup</h1>
      <p className="lede">Conductor&apos;s setup has ended on this computer.</p>

      {viewer === "another customer" ? (
        <>
          <p data-testid="setup-for-another-company">
            It was for another company than the one you are signed in for, so this page cannot tell how it went. The
            onboarding page of whoever started it shows whether QuickBooks Desktop is connected, <ShownElsewhere />. You
            can close this window.
          </p>
          {checking && <CheckedForOthers />}
          <KeepOpen />
          <p>
            <Link href="/onboarding">Your own onboarding</Link>
          </p>
        </>
      ) : viewer === "operator" ? (
        <>
          <p>
            {endUserId ? <Link href={`/end-users/${endUserId}`}>The end-user&apos;s page</Link> : "The end-user's page"}{" "}
            shows whether QuickBooks Desktop is connected
            {/* With a check running now, that page follows it by itself. */}
            {!checking && (
              <>
                {" "}
                (press <strong>Check now</strong> there)
              </>
            )}
            {endUserId ? (
              "."
            ) : (
              <>
                : find it in <Link href="/end-users">End-users</Link>.
              </>
            )}
          </p>
          {checking && <CheckedForOthers />}
        </>
      ) : (
        <>
          <p>
            If you started it from another computer, the onboarding page there shows whether QuickBooks Desktop is
            connected, <ShownElsewhere />. You can close this window.
          </p>
          {checking && <CheckedForOthers />}
          <KeepOpen />
          <p>
            To see it here instead, <Link href="/signin?callbackUrl=%2Fonboarding%2Fconnected">sign in</Link>.
          </p>
        </>
      )}
    </>
  );
}

/** Said where the page has the connection checked once it is sent (check-after-return.ts). */
function CheckedForOthers() {
  return (
    <p data-testid="checked-for-others">
      Conductor is asked now whether QuickBooks Desktop answers, so that page shows how it went even if it was closed
      meanwhile.
    </p>
  );
}

/**
 * For whoever sits at the computer the setup ran on: Conductor reaches QuickBooks Desktop through
 * it, and the person who started the setup elsewhere cannot keep it running from there.
 */
function KeepOpen() {
  return (
    <p data-testid="keep-quickbooks-open">
      <strong>On this computer:</strong> keep QuickBooks Desktop open on the company file, with QuickBooks Web Connector
      running, until the onboarding page says Connected. Conductor reaches QuickBooks Desktop through them. A setup
      cancelled or left before its end connected nothing: open its link again while it works, or use a new one
      (&ldquo;Email me this link&rdquo; on the onboarding page sends one).
    </p>
  );
}

/** A setup finished for the viewer's own end-user, offboarded since: its connection went with it. */
export function FormerSetup({ companyName, deletedAt }: { companyName: string; deletedAt: Date }) {
  return (
    <>
      <h1>QuickBooks Desktop setup</h1>
      <p className="lede">Conductor&apos;s setup has ended on this computer.</p>
      <p data-testid="setup-for-offboarded">
        It was for <strong>{companyName}</strong>, which was offboarded on {formatTimestamp(deletedAt)}: that setup no
        longer connects anything. Start again from your onboarding page.
      </p>
      <p>
        <Link href="/onboarding">Your onboarding</Link>
      </p>
    </>
  );
}
