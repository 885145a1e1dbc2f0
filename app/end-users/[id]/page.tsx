import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ConnectionsTable, EndUserFacts } from "@/app/_components/end-user-facts";
import { Notice } from "@/app/_components/notice";
import { requireViewer } from "@/lib/auth/guards";
import { retrieveForReader, type RetrievedEndUser } from "@/lib/end-users/retrieve";
import { endUserIdSchema } from "@/lib/end-users/schemas";
import { AppError } from "@/lib/errors/app-error";
import { describeAge, formatTimestamp } from "@/lib/format";
import { LinkedAccounts } from "./linked-accounts";

export const metadata: Metadata = { title: "End-user" };

export default async function EndUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireViewer(`/end-users/${encodeURIComponent(id)}`);
  if (!endUserIdSchema.safeParse(id).success) notFound();
  const reader = viewer.role === "operator" ? { role: "operator" as const } : { role: "customer" as const, userId: viewer.id };

  let result: RetrievedEndUser;
  try {
    result = await retrieveForReader(id, reader);
  } catch (error) {
    if (error instanceof AppError && error.code === "end_user_not_found") notFound();
    if (!(error instanceof AppError)) throw error;
    return (
      <div className="card narrow">
        <h1>End-user unavailable</h1>
        <Notice tone="error" conductorRequestId={error.details.conductorRequestId}>
          {error.message} Nothing is cached for this id yet.
        </Notice>
      </div>
    );
  }
  const { endUser, fresh, notice, conductorRequestId } = result;

  return (
    <>
      {viewer.role === "operator" && (
        <p>
          <Link href="/end-users">← All end-users</Link>
        </p>
      )}
      <h1>{endUser.companyName}</h1>
      {fresh ? (
        <p className="lede">
          <span className="badge badge-ok">Live</span> Just retrieved from Conductor.
        </p>
      ) : (
        <Notice tone="warn" conductorRequestId={conductorRequestId} testId="stale-notice">
          {notice}
        </Notice>
      )}
      {endUser.missingUpstreamSince && (
        <p className="notice notice-warn">Not found in Conductor&apos;s list since {formatTimestamp(endUser.missingUpstreamSince)}.</p>
      )}
      <div className="card">
        <EndUserFacts endUser={endUser}>
          <dt>Our user</dt>
          <dd>{endUser.user ? endUser.user.email : <span className="muted">no user with this id</span>}</dd>
          <dt>Cached</dt>
          <dd>
            {formatTimestamp(endUser.syncedAt)} ({describeAge(endUser.syncedAt)})
          </dd>
        </EndUserFacts>
      </div>
      <ConnectionsTable connections={endUser.integrationConnections} />
      {viewer.role === "operator" && <LinkedAccounts endUserId={endUser.id} sourceId={endUser.sourceId} />}
    </>
  );
}
