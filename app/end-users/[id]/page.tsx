import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Notice } from "@/app/_components/notice";
import { requireViewer } from "@/lib/auth/guards";
import { cachedForReader, retrieveFresh } from "@/lib/end-users/retrieve";
import { endUserIdSchema } from "@/lib/end-users/schemas";
import { AppError } from "@/lib/errors/app-error";
import { CheckingStatus, EndUserView, FreshEndUserView, LiveStatus } from "./end-user-view";
import { Activity } from "./activity";
import { LinkedAccounts } from "./linked-accounts";

export const metadata: Metadata = { title: "End-user" };

const notFoundIfUnknown = (error: unknown): never => {
  if (error instanceof AppError && error.code === "end_user_not_found") notFound();
  throw error;
};

/** An unknown id is a 404; any other known failure is shown; anything else is a bug. */
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
  const reader = viewer.role === "operator" ? { role: "operator" as const } : { role: "customer" as const, userId: viewer.id };
  const cached = await cachedForReader(id, reader).catch(notFoundIfUnknown);

  // Nothing cached (an operator following an id): only Conductor can answer.
  const uncached = cached ? null : await retrieveFresh(id, null).then((result) => result.endUser, failureOrNotFound);
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
  const sourceId = (cached ?? uncached)!.sourceId;
  const body = cached ? (
    <Suspense fallback={<EndUserView endUser={cached} status={<CheckingStatus />} />}>
      <FreshEndUserView id={id} cached={cached} />
    </Suspense>
  ) : (
    <EndUserView endUser={uncached!} status={<LiveStatus />} />
  );

  return (
    <>
      {viewer.role === "operator" && (
        <p>
          <Link href="/end-users">← All end-users</Link>
        </p>
      )}
      {body}
      {viewer.role === "operator" && (
        <>
          <LinkedAccounts endUserId={id} sourceId={sourceId} />
          <Activity endUser={{ id, sourceId }} />
        </>
      )}
    </>
  );
}
