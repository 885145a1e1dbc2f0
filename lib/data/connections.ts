/**
 * The cached QuickBooks Desktop connection of one end-user: read cheaply (pages poll it), and the
 * outcome of a health check stored with the status it implies, audited when the status changed.
 */
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import { deriveConnectionStatus, type CheckOutcome, type Connection } from "@/lib/model/connection";
import { recordAudit } from "./audit";
import { connectionColumns, withConnection } from "./connection-columns";
import { runPrepared } from "./prepared";

const subjectColumns = {
  id: true,
  sourceId: true,
  companyName: true,
  email: true,
  deletedAt: true,
  ...connectionColumns,
} satisfies Prisma.ConductorEndUserSelect;

type SubjectRow = Prisma.ConductorEndUserGetPayload<{ select: typeof subjectColumns }>;

const SUBJECT_COLUMNS = Prisma.raw(
  Object.keys(subjectColumns)
    .map((column) => `"${column}"`)
    .join(", "),
);

/**
 * What access checks and the connection use cases need of an end-user, in one small read: a
 * prepared statement, as every request about one end-user starts with it.
 */
export async function findConnectionSubject(id: string) {
  const [row] = await runPrepared<SubjectRow>(
    Prisma.sql`SELECT ${SUBJECT_COLUMNS} FROM "ConductorEndUser" WHERE "id" = ${id}`,
  );
  return row ? withConnection(row) : null;
}

export type ConnectionSubject = NonNullable<Awaited<ReturnType<typeof findConnectionSubject>>>;

export type CheckRecord = {
  outcome: CheckOutcome;
  message: string | null;
  conductorRequestId: string | null;
};

export type RecordedCheck =
  { stored: true; previous: Connection; connection: Connection } | { stored: false; deletedAt: Date | null };

/**
 * Stores a health check's outcome, timed by the database's clock, with the status it implies for
 * the cached connections; one transaction holding the end-user's row, so a concurrent write of its
 * connections, or its offboarding, cannot interleave. Nothing is stored for an end-user that is
 * not cached, or was offboarded while the check ran (`deletedAt`): a tombstone has no connection.
 */
export async function recordConnectionCheck(
  endUserId: string,
  check: CheckRecord,
  actor: string,
): Promise<RecordedCheck> {
  return (await db()).$transaction(async (tx): Promise<RecordedCheck> => {
    const [row] = await tx.$queryRaw<{ sourceId: string; deletedAt: Date | null; now: Date }[]>`
      SELECT "sourceId", "deletedAt", timezone('UTC', now())::timestamp(3) AS "now"
      FROM "ConductorEndUser" WHERE "id" = ${endUserId} FOR UPDATE`;
    if (!row || row.deletedAt) return { stored: false, deletedAt: row?.deletedAt ?? null };
    const before = await tx.conductorEndUser.findUniqueOrThrow({
      where: { id: endUserId },
      select: {
        ...connectionColumns,
        integrationConnections: { select: { integrationSlug: true, createdAt: true, lastSuccessfulRequestAt: true } },
      },
    });
    const status = deriveConnectionStatus(before.integrationConnections, { outcome: check.outcome, at: row.now });
    const after = await tx.conductorEndUser.update({
      where: { id: endUserId },
      data: {
        connectionStatus: status,
        connectionCheckedAt: row.now,
        connectionCheckOutcome: check.outcome,
        connectionMessage: check.message,
        connectionRequestId: check.conductorRequestId,
      },
      select: connectionColumns,
    });
    const previous = withConnection(before).connection;
    if (previous.status !== status) {
      await recordAudit(
        {
          action: "CONNECTION_STATUS_CHANGED",
          actor,
          endUserId,
          sourceId: row.sourceId,
          conductorRequestId: check.conductorRequestId ?? undefined,
          // Conductor's advice for a connection error stays with the change: the row keeps only the last.
          data: {
            from: previous.status,
            to: status,
            outcome: check.outcome,
            ...(check.message && { message: check.message }),
          },
        },
        tx,
      );
    }
    return { stored: true, previous, connection: withConnection(after).connection };
  });
}
