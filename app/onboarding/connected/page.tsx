import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, redirect } from "next/navigation";
import { Suspense } from "react";
import { ConnectionBadge } from "@/app/_components/connection/connection-badge";
import type { Connection } from "@/lib/model/connection";
import { formatTimestamp } from "@/lib/platform/format";
import { readCachedEndUser } from "@/lib/use-cases/end-users/retrieve";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { SETUP_FOR_PARAM } from "@/lib/use-cases/connection/auth-sessions";
import { checkTakesUpToSeconds } from "@/lib/use-cases/connection/check";
import { onboardingStatus } from "@/lib/use-cases/onboarding/status";
import { getViewer } from "@/lib/web/auth/viewer";
import type { Person } from "@/lib/model/actor";
import { CheckOutcome } from "./check-outcome";

export const metadata: Metadata = { title: "QuickBooks Desktop setup" };

function Checking({ last }: { last: Connection }) {
  return (
    <div className="notice notice-info" role="status" data-testid="checking">
      <p>
        <span className="spinner" aria-hidden="true" /> Checking your QuickBooks Desktop connection with Conductor… This
        can take up to {checkTakesUpToSeconds()} seconds while QuickBooks Desktop answers.
      </p>
      <p>
        Last known status: <ConnectionBadge status={last.status} />
      </p>
    </div>
  );
}

/**
 * For a browser where no customer is signed in: the Windows computer the setup link was emailed
 * to, or an operator's (who may open a link they sent); or where another company's customer is
 * (a computer that runs QuickBooks for several). Nothing says whose setup it was.
 */
function FinishedHere({ viewer = "nobody" }: { viewer?: "nobody" | "operator" | "another customer" }) {
  return (
    <>
      <h1>QuickBooks Desktop setup</h1>
      <p className="lede">Conductor&apos;s setup has ended on this computer.</p>
      {viewer === "another customer" ? (
        <>
          <p data-testid="setup-for-another-company">
            It was for another company than the one you are signed in for, so this page cannot tell how it went. The
            onboarding page of whoever started it shows whether QuickBooks Desktop is connected, by itself, within a few
            seconds. You can close this window.
          </p>
          <p>
            <Link href="/onboarding">Your own onboarding</Link>
          </p>
        </>
      ) : viewer === "operator" ? (
        <p>
          The end-user&apos;s page shows whether QuickBooks Desktop is connected (press <strong>Check now</strong>{" "}
          there): find it in <Link href="/end-users">End-users</Link>.
        </p>
      ) : (
        <>
          <p>
            If you started it from another computer, the onboarding page there shows whether QuickBooks Desktop is
            connected, by itself, within a few seconds. You can close this window.
          </p>
          <p>
            To see it here instead, <Link href="/signin?callbackUrl=%2Fonboarding%2Fconnected">sign in</Link>.
          </p>
        </>
      )}
    </>
  );
}

/** The viewer's own end-user that `id` names, if it is one they had before being offboarded. */
async function formerEndUserOf(viewer: Person, id: string | string[]) {
  if (typeof id !== "string" || !endUserIdSchema.safeParse(id).success) return null;
  const endUser = await readCachedEndUser(viewer, id).catch(() => null);
  return endUser?.deletedAt ? { companyName: endUser.companyName, deletedAt: endUser.deletedAt } : null;
}

/** A setup finished for the viewer's own end-user, offboarded since: its connection went with it. */
function FormerSetup({ companyName, deletedAt }: { companyName: string; deletedAt: Date }) {
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

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Where Conductor's setup sends the customer back. Nothing in the address says how it went, so
 * for the signed-in customer the page checks the connection itself: it renders at once with the
 * last known status, and the check's outcome streams in behind it. The address names whose setup
 * it was (`endUser`); addresses made before it did name nobody, and are taken as the viewer's.
 */
export default async function ConnectedPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await getViewer();
  // Signed out is not an error here: the setup often runs on a computer nobody signed in on.
  if (!viewer) return <FinishedHere />;
  if (viewer.kind === "operator") return <FinishedHere viewer="operator" />;
  if (viewer.kind !== "customer") forbidden();
  const status = await onboardingStatus(viewer);
  const setupFor = (await searchParams)[SETUP_FOR_PARAM];
  if (setupFor !== undefined && (status.kind !== "done" || setupFor !== status.endUser.id)) {
    const former = await formerEndUserOf(viewer, setupFor);
    return former ? <FormerSetup {...former} /> : <FinishedHere viewer="another customer" />;
  }
  if (status.kind !== "done") redirect("/onboarding");
  const { endUser } = status;
  return (
    <>
      <h1>QuickBooks Desktop setup</h1>
      <p className="lede">
        Back from Conductor&apos;s setup for <strong>{endUser.companyName}</strong>.
      </p>
      <Suspense fallback={<Checking last={endUser.connection} />}>
        <CheckOutcome viewer={viewer} endUserId={endUser.id} last={endUser.connection} />
      </Suspense>
      <p>
        <Link href="/onboarding">Back to onboarding</Link>
      </p>
    </>
  );
}
