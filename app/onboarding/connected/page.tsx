import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, redirect } from "next/navigation";
import { Suspense } from "react";
import { ConnectionBadge } from "@/app/_components/connection/connection-badge";
import type { Connection } from "@/lib/model/connection";
import { readCachedEndUser } from "@/lib/use-cases/end-users/retrieve";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { SETUP_FOR_PARAM } from "@/lib/use-cases/connection/auth-sessions";
import { SETUP_PROOF_PARAM, SETUP_UNTIL_PARAM } from "@/lib/use-cases/connection/setup-return";
import { checkTakesUpToSeconds } from "@/lib/use-cases/connection/check";
import { onboardingStatus } from "@/lib/use-cases/onboarding/status";
import { getViewer } from "@/lib/web/auth/viewer";
import type { Person } from "@/lib/model/actor";
import { checkOnceSent } from "./check-after-return";
import { CheckOutcome } from "./check-outcome";
import { FinishedHere, FormerSetup } from "./finished-here";

export const metadata: Metadata = { title: "QuickBooks Desktop setup" };

function Checking({ last }: { last: Connection }) {
  return (
    <div className="notice notice-info" role="status" data-testid="checking">
      {/* Without JavaScript the check's outcome cannot replace this: no spinner that never stops. */}
      <p className="needs-js">
        <span className="spinner" aria-hidden="true" /> Checking your QuickBooks Desktop connection with Conductor… This
        can take up to {checkTakesUpToSeconds()} seconds while QuickBooks Desktop answers.
      </p>
      <p>
        Last known status: <ConnectionBadge status={last.status} />
      </p>
      <noscript>
        <p data-testid="checking-without-script">
          Without JavaScript this page cannot show what the check finds once it ends. The check runs all the same:{" "}
          <Link href="/onboarding">your onboarding page</Link> shows the status it found, within{" "}
          {checkTakesUpToSeconds()} seconds.
        </p>
      </noscript>
    </div>
  );
}

/** The viewer's own end-user that `id` names, if it is one they had before being offboarded. */
async function formerEndUserOf(viewer: Person, id: string | undefined) {
  if (!id) return null;
  const endUser = await readCachedEndUser(viewer, id).catch(() => null);
  return endUser?.deletedAt ? { companyName: endUser.companyName, deletedAt: endUser.deletedAt } : null;
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
  const { [SETUP_FOR_PARAM]: setupFor, [SETUP_UNTIL_PARAM]: until, [SETUP_PROOF_PARAM]: proof } = await searchParams;
  // The end-user the address names, when it names one well formed.
  const named = typeof setupFor === "string" && endUserIdSchema.safeParse(setupFor).success ? setupFor : undefined;
  // Signed out is not an error here: the setup often runs on a computer nobody signed in on.
  const returned = { until, proof };
  if (!viewer) return <FinishedHere checking={await checkOnceSent(named, returned)} />;
  if (viewer.kind === "operator")
    return <FinishedHere viewer="operator" endUserId={named} checking={await checkOnceSent(named, returned)} />;
  if (viewer.kind !== "customer") forbidden();
  const status = await onboardingStatus(viewer);
  // An address that names nobody well formed (junk, the parameter twice) is taken as the viewer's.
  if (named !== undefined && (status.kind !== "done" || named !== status.endUser.id)) {
    const former = await formerEndUserOf(viewer, named);
    if (former) return <FormerSetup {...former} />;
    return <FinishedHere viewer="another customer" checking={await checkOnceSent(named, returned)} />;
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
