import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Notice } from "@/app/_components/notice";
import type { Person } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import { formatTimestamp } from "@/lib/platform/format";
import {
  formerEndUser,
  onboardedAgain,
  readCachedEndUser,
  refreshEndUser,
  type EndUserDetail,
} from "@/lib/use-cases/end-users/retrieve";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { requireViewer } from "@/lib/web/auth/guards";
import { getViewer } from "@/lib/web/auth/viewer";
import { conductorReadBudget } from "@/lib/web/rate-limit/budgets";
import { Activity } from "./activity";
import { CheckingStatus, EndUserView, FreshEndUserView, LiveStatus } from "./end-user-view";
import { LinkedAccounts } from "./linked-accounts";
import { OffboardSection } from "./offboard-section";
import { TombstoneBanner } from "./tombstone-banner";

/** The company's name in the title, for whoever may see it; the bare page name otherwise. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  const viewer = await getViewer();
  if (!viewer || !endUserIdSchema.safeParse(id).success) return { title: "End-user" };
  const cached = await readCachedEndUser(viewer, id).catch(() => null);
  if (!cached) return { title: "End-user" };
  // "End-users" is the operators' list; a customer's own record is their company's.
  return {
    title: viewer.kind === "operator" ? `${cached.companyName} — End-users` : `${cached.companyName} — Your company`,
  };
}

/** An unknown id is a 404; any other known failure is returned to be shown; anything else is a bug. */
const failureOrNotFound = (error: unknown): AppError => {
  if (!(error instanceof AppError)) throw error;
  if (error.code === "end_user_not_found") notFound();
  return error;
};

/**
 * The cache is rendered at once; Conductor's fresh copy streams in behind it (or the cached copy
 * stays, with a notice, when Conductor fails or is slow).
 */
export default async function EndUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireViewer(`/end-users/${encodeURIComponent(id)}`);
  if (!endUserIdSchema.safeParse(id).success) notFound();
  const cached = await readCachedEndUser(viewer, id).catch((error: unknown) => {
    throw failureOrNotFound(error);
  });
  if (cached?.deletedAt) return <Offboarded viewer={viewer} endUser={cached} deletedAt={cached.deletedAt} />;

  // Nothing cached (an operator following an id): only Conductor can answer.
  const budget = conductorReadBudget(viewer);
  const uncached = cached
    ? null
    : await refreshEndUser(viewer, id, null, budget).then((result) => result.endUser, failureOrNotFound);
  if (uncached instanceof AppError) {
    return (
      <div className="card narrow">
        <h1>End-user unavailable</h1>
        <Notice tone="error" conductorRequestId={uncached.details.conductorRequestId}>
          {uncached.message} Nothing is cached for this id yet.
        </Notice>
      </div>
    );
  }
  const endUser = (cached ?? uncached)!;
  const operator = viewer.kind === "operator";
  // Read once, for the fresh view and for the activity, which lists what the read recorded.
  const refreshed = cached && refreshEndUser(viewer, id, cached, budget);
  if (refreshed) refreshed.catch(() => undefined);
  const body = refreshed ? (
    <Suspense
      fallback={
        <EndUserView endUser={cached} status={<CheckingStatus syncedAt={cached.syncedAt} />} operator={operator} />
      }
    >
      <FreshEndUserView viewer={viewer} refreshed={refreshed} />
    </Suspense>
  ) : (
    <EndUserView endUser={endUser} status={<LiveStatus syncedAt={endUser.syncedAt} />} operator={operator} />
  );

  return (
    <>
      {viewer.kind === "operator" && (
        <p>
          <Link href="/end-users">← All end-users</Link>
        </p>
      )}
      {body}
      {viewer.kind === "operator" && (
        <>
          <FormerEndUser viewer={viewer} sourceId={endUser.sourceId} />
          <LinkedAccounts viewer={viewer} endUserId={id} sourceId={endUser.sourceId} />
          <OffboardSection endUser={endUser} />
          {/* Until Conductor's copy is read, the activity as it stands; then with what that read recorded. */}
          {refreshed ? (
            <Suspense fallback={<Activity viewer={viewer} endUser={{ id, sourceId: endUser.sourceId }} />}>
              <Activity viewer={viewer} endUser={{ id, sourceId: endUser.sourceId }} after={refreshed} />
            </Suspense>
          ) : (
            <Activity viewer={viewer} endUser={{ id, sourceId: endUser.sourceId }} />
          )}
        </>
      )}
    </>
  );
}

/** A customer who onboarded again: their offboarded end-user, and all their history in the audit trail. */
async function FormerEndUser({ viewer, sourceId }: { viewer: Person; sourceId: string }) {
  const former = await formerEndUser(viewer, { sourceId });
  if (!former) return null;
  return (
    <p className="notice notice-info" data-testid="former-end-user">
      This customer onboarded before: their former end-user{" "}
      <Link href={`/end-users/${former.id}`}>{former.companyName}</Link> (<span className="mono">{former.id}</span>) was
      offboarded on {formatTimestamp(former.deletedAt)}.{" "}
      <Link href={`/audit?sourceId=${encodeURIComponent(sourceId)}`}>
        All of this customer&apos;s events in the audit trail →
      </Link>
    </p>
  );
}

/**
 * A tombstone: our record and its history, without asking Conductor (it no longer has it). An
 * operator is pointed to the end-user its customer has now, if they onboarded again.
 */
async function Offboarded({ viewer, endUser, deletedAt }: { viewer: Person; endUser: EndUserDetail; deletedAt: Date }) {
  const operator = viewer.kind === "operator";
  const successor = await onboardedAgain(viewer, endUser);
  const banner = (
    <TombstoneBanner
      deletedAt={deletedAt}
      deletedBy={endUser.deletedBy}
      forCustomer={operator ? null : { setUpAgainAs: successor?.companyName ?? null }}
    />
  );
  return (
    <>
      {operator && (
        <p>
          <Link href="/end-users?include=deleted">← All end-users</Link>
        </p>
      )}
      {operator && successor && (
        <Notice tone="info" testId="onboarded-again">
          This customer onboarded again since: <Link href={`/end-users/${successor.id}`}>{successor.companyName}</Link>{" "}
          (<span className="mono">{successor.id}</span>) is their end-user now.
        </Notice>
      )}
      <EndUserView endUser={endUser} status={banner} operator={operator} />
      {operator && <Activity viewer={viewer} endUser={{ id: endUser.id, sourceId: endUser.sourceId }} />}
    </>
  );
}
