/**
 * The cached side of a refresh's comparison: one chunk of cached end-users read in one query, and
 * the form a cached row and an upstream end-user are compared in.
 */
import "server-only";
import { Prisma } from "@/lib/db/client";
import type { UpstreamEndUser } from "@/lib/model/end-user";
import type { SqlTx } from "./sql-transaction";

/** What a refresh compares of an end-user: its fields and its connections. */
type Content = Pick<
  UpstreamEndUser,
  "id" | "sourceId" | "companyName" | "email" | "createdAt" | "integrationConnections"
>;

const sameTime = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Whether an upstream end-user says what its cached row says: every field, the user it is linked
 * to, and the same connections whatever their order. Compared in place: a refresh compares every
 * cached end-user, and copies of each would be most of the garbage a 100,000-row refresh makes.
 */
export function sameContent(cached: Content & { userId: string | null }, next: Content, nextUserId: string | null) {
  const same =
    cached.id === next.id &&
    cached.sourceId === next.sourceId &&
    cached.companyName === next.companyName &&
    cached.email === next.email &&
    cached.userId === nextUserId &&
    sameTime(cached.createdAt, next.createdAt) &&
    cached.integrationConnections.length === next.integrationConnections.length;
  if (!same) return false;
  const sorted = (connections: Content["integrationConnections"]) =>
    connections.length > 1 ? [...connections].sort(byId) : connections;
  const theirs = sorted(next.integrationConnections);
  return sorted(cached.integrationConnections).every((c, i) => {
    const d = theirs[i]!;
    return (
      c.id === d.id &&
      c.integrationSlug === d.integrationSlug &&
      sameTime(c.createdAt, d.createdAt) &&
      sameTime(c.lastRequestAt, d.lastRequestAt) &&
      sameTime(c.lastSuccessfulRequestAt, d.lastSuccessfulRequestAt)
    );
  });
}

type CachedRow = Prisma.ConductorEndUserGetPayload<{
  select: {
    id: true;
    sourceId: true;
    companyName: true;
    email: true;
    createdAt: true;
    userId: true;
    syncedAt: true;
    missingUpstreamSince: true;
    connectionStatus: true;
    connectionCheckedAt: true;
    connectionCheckOutcome: true;
    connectionMessage: true;
    connectionRequestId: true;
    integrationConnections: {
      select: { id: true; integrationSlug: true; createdAt: true; lastRequestAt: true; lastSuccessfulRequestAt: true };
    };
  };
}>;

/** A `timestamp(3)` column (UTC) as the ISO text JSON carries, written in SQL. */
export const isoText = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const dateOrNull = (text: string | null) => (text === null ? null : new Date(text));

/**
 * One chunk's cached rows with their connections, and whether a user with each one's sourceId
 * exists (the user it would be linked to): one query, no per-row work in Prisma.
 */
export async function readChunk(tx: SqlTx, ids: string[]) {
  const rows = await tx.query<
    Omit<CachedRow, "integrationConnections"> & {
      userExists: boolean;
      connections: {
        id: string;
        integrationSlug: string;
        createdAt: string;
        lastRequestAt: string | null;
        lastSuccessfulRequestAt: string | null;
      }[];
    }
  >(Prisma.sql`
    SELECT e."id", e."sourceId", e."companyName", e."email", e."createdAt", e."userId", e."syncedAt", e."missingUpstreamSince",
           e."connectionStatus", e."connectionCheckedAt", e."connectionCheckOutcome", e."connectionMessage", e."connectionRequestId",
           EXISTS (SELECT 1 FROM "User" u WHERE u."id" = e."sourceId") AS "userExists",
           COALESCE((SELECT json_agg(json_build_object(
                       'id', c."id", 'integrationSlug', c."integrationSlug", 'createdAt', ${isoText(Prisma.sql`c."createdAt"`)},
                       'lastRequestAt', ${isoText(Prisma.sql`c."lastRequestAt"`)},
                       'lastSuccessfulRequestAt', ${isoText(Prisma.sql`c."lastSuccessfulRequestAt"`)}))
                     FROM "IntegrationConnection" c WHERE c."endUserId" = e."id"), '[]'::json) AS "connections"
    FROM unnest(${ids}::text[]) AS k("id")
    -- One primary-key probe per id (LIMIT keeps it a probe): with statistics from before a large
    -- refresh, the planner would otherwise read every live row for each chunk and filter them.
    CROSS JOIN LATERAL (SELECT * FROM "ConductorEndUser" WHERE "id" = k."id" AND "deletedAt" IS NULL LIMIT 1) AS e`);
  return rows.map(({ connections, userExists, ...row }) => ({
    userExists,
    row: {
      ...row,
      integrationConnections: connections.map((c) => ({
        ...c,
        createdAt: new Date(c.createdAt),
        lastRequestAt: dateOrNull(c.lastRequestAt),
        lastSuccessfulRequestAt: dateOrNull(c.lastSuccessfulRequestAt),
      })) as CachedRow["integrationConnections"],
    } satisfies CachedRow,
  }));
}
