/**
 * Cached end-users Conductor no longer has: flagged (never deleted: the mapping is still ours),
 * their QuickBooks Desktop connections gone with them, and each change audited.
 */
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import { isoOrNull as iso } from "@/lib/platform/format";
import { auditEachRow } from "./audit";
import { statusSeenEvents } from "./end-user-writes";

type Auditor = { actor: string; conductorRequestId?: string };

/**
 * The statement that flags `ids` as missing upstream as of `asOf` (when Conductor was asked),
 * answering how many it flagged. Each row is checked again as it is locked, should anything else
 * have flagged or written it since: only live rows synced before `asOf`, not flagged yet, whose
 * sourceId no creation touched since, and not being offboarded (its settling makes it a
 * tombstone, whatever Conductor's list or a read says meanwhile). An end-user Conductor no
 * longer has has no connection either: its cached ones go and its status is `not_started`,
 * unless a check ran after `asOf`. `foundBy`: how it was found missing, recorded in the audit
 * event with `asOf` (a list taken then, or a read answered then).
 */
export function flagMissingStatement(
  ids: string[],
  asOf: Date,
  auditor: Auditor,
  foundBy: "listedAt" | "retrievedAt",
): Prisma.Sql {
  const at = Prisma.sql`${iso(asOf)}::timestamp(3)`;
  const data = Prisma.sql`jsonb_build_object(${foundBy}::text, ${asOf.toISOString()}::text)`;
  return Prisma.sql`
    WITH flagged AS (
      UPDATE "ConductorEndUser" e SET "missingUpstreamSince" = ${at},
        "connectionStatus" = CASE WHEN e."connectionCheckedAt" >= ${at} THEN e."connectionStatus" ELSE 'not_started' END
      FROM "ConductorEndUser" b
      WHERE b."id" = e."id"
        AND e."id" = ANY(${ids}::text[]) AND e."syncedAt" < ${at} AND e."deletedAt" IS NULL
        AND e."missingUpstreamSince" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "OnboardingClaim" c WHERE c."sourceId" = e."sourceId" AND c."updatedAt" >= ${at})
        AND NOT EXISTS (SELECT 1 FROM "Offboarding" o WHERE o."endUserId" = e."id")
      RETURNING e."id", e."sourceId", b."connectionStatus" AS "before", e."connectionStatus" AS "after"
    ), gone AS (
      DELETE FROM "IntegrationConnection" c USING flagged f
      WHERE c."endUserId" = f."id" AND f."after" = 'not_started'
    ), events AS (${auditEachRow(Prisma.sql`flagged r`, { action: "END_USER_MISSING_UPSTREAM", ...auditor, data })}),
    status_events AS (${statusSeenEvents(
      Prisma.sql`flagged r WHERE r."before" <> r."after"`,
      { from: Prisma.sql`r."before"`, to: Prisma.sql`r."after"` },
      auditor,
    )})
    SELECT count(*)::int AS "count" FROM flagged`;
}

/** Conductor answered that it has no end-user `id` (asked at `asOf`): flags the cached one, if it may. */
export async function flagMissingUpstream(id: string, asOf: Date, auditor: Auditor): Promise<void> {
  await (await db()).$queryRaw(flagMissingStatement([id], asOf, auditor, "retrievedAt"));
}
