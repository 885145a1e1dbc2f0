/**
 * Claims on a sourceId, taken before Conductor is called so that at most one request at a time
 * can create a customer's end-user. See lib/onboarding for how they are used.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { db, Prisma } from "@/lib/db/client";
import { runPrepared } from "./prepared";
import type { OnboardingClaim } from "@/lib/db/generated/client";

export type { OnboardingClaim };

export type ClaimAttempt =
  /** `postPending`: an earlier POST may have created the end-user; look upstream before posting. */
  | { kind: "acquired"; claim: OnboardingClaim; token: string; postPending: boolean }
  | { kind: "busy"; claim: OnboardingClaim }
  | { kind: "done"; claim: OnboardingClaim }
  /** With `unlessCached`: not taken, because a live end-user with the sourceId is cached, or someone holds the claim. */
  | { kind: "not_taken" };

export type ClaimError = { code: string; message: string; conductorRequestId?: string };

/**
 * Takes the claim when nobody holds it: it is new, failed, awaiting confirmation, or its holder's
 * lease ran out (a crash). One statement, so concurrent callers cannot both win. The taker is
 * about to POST, so postStartedAt is set now, unless an earlier POST's is still pending.
 * `retryRefused: false` leaves failed claims alone: only the customer retries after a refusal.
 * `unlessCached` also leaves it when a live end-user with the sourceId is cached, in the same
 * statement (one round trip before a new customer's POST instead of two), and answers
 * `not_taken` without reading why.
 */
export async function acquireClaim(
  input: { sourceId: string; companyName: string; email: string },
  leaseMs: number,
  { retryRefused = true, unlessCached = false }: { retryRefused?: boolean; unlessCached?: boolean } = {},
): Promise<ClaimAttempt> {
  const token = randomUUID();
  // Times come from the database's clock (see lib/data/clock.ts); postedNow tells whether this
  // statement set postStartedAt, i.e. no earlier POST is pending.
  const [claim] = await runPrepared<OnboardingClaim & { postedNow: boolean }>(Prisma.sql`
    INSERT INTO "OnboardingClaim" ("sourceId", "companyName", "email", "state", "attempts", "leaseToken", "leaseExpiresAt", "postStartedAt", "createdAt", "updatedAt")
    SELECT ${input.sourceId}, ${input.companyName}, ${input.email}, 'IN_FLIGHT'::"OnboardingState", 1, ${token},
           timezone('UTC', now()) + ${leaseMs} * interval '1 millisecond', timezone('UTC', now()), timezone('UTC', now()), timezone('UTC', now())
    WHERE NOT (${unlessCached} AND EXISTS (
      SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = ${input.sourceId} AND "deletedAt" IS NULL))
    ON CONFLICT ("sourceId") DO UPDATE SET
      "state" = 'IN_FLIGHT'::"OnboardingState",
      "attempts" = "OnboardingClaim"."attempts" + 1,
      "leaseToken" = EXCLUDED."leaseToken",
      "leaseExpiresAt" = EXCLUDED."leaseExpiresAt",
      "postStartedAt" = COALESCE("OnboardingClaim"."postStartedAt", EXCLUDED."postStartedAt"),
      -- While an earlier POST may still land, the claim names what it asked for (markPosting renames it).
      "companyName" = CASE WHEN "OnboardingClaim"."postStartedAt" IS NULL THEN EXCLUDED."companyName" ELSE "OnboardingClaim"."companyName" END,
      "email" = CASE WHEN "OnboardingClaim"."postStartedAt" IS NULL THEN EXCLUDED."email" ELSE "OnboardingClaim"."email" END,
      "updatedAt" = timezone('UTC', now())
    WHERE "OnboardingClaim"."state" = 'OUTCOME_UNKNOWN'
       OR ("OnboardingClaim"."state" = 'FAILED' AND ${retryRefused})
       OR ("OnboardingClaim"."state" = 'IN_FLIGHT' AND "OnboardingClaim"."leaseExpiresAt" < timezone('UTC', now()))
    RETURNING *, ("postStartedAt" = timezone('UTC', now())::timestamp(3)) AS "postedNow"`);
  if (claim) {
    const { postedNow, ...fields } = claim;
    return { kind: "acquired", claim: fields, token, postPending: !postedNow };
  }
  if (unlessCached) return { kind: "not_taken" };
  const current = await (await db()).onboardingClaim.findUniqueOrThrow({ where: { sourceId: input.sourceId } });
  return current.state === "DONE" ? { kind: "done", claim: current } : { kind: "busy", claim: current };
}

/**
 * Records that a POST of `input` is about to leave (after a pending one was looked for and not
 * found) and renews the lease for it; answers when (database clock), or null when the lease ran
 * out or was taken meanwhile.
 */
export async function markPosting(
  input: { sourceId: string; companyName: string; email: string },
  token: string,
  leaseMs: number,
): Promise<Date | null> {
  const [row] = await (
    await db()
  ).$queryRaw<{ postStartedAt: Date }[]>`
    UPDATE "OnboardingClaim"
    SET "postStartedAt" = timezone('UTC', now()), "leaseExpiresAt" = timezone('UTC', now()) + ${leaseMs} * interval '1 millisecond',
        "companyName" = ${input.companyName}, "email" = ${input.email}, "updatedAt" = timezone('UTC', now())
    WHERE "sourceId" = ${input.sourceId} AND "leaseToken" = ${token} AND "leaseExpiresAt" > timezone('UTC', now())
    RETURNING "postStartedAt"`;
  return row?.postStartedAt ?? null;
}

const DONE = (endUserId: string) => Prisma.sql`"state" = 'DONE'::"OnboardingState", "endUserId" = ${endUserId},
  "leaseToken" = NULL, "leaseExpiresAt" = NULL, "postStartedAt" = NULL, "errorCode" = NULL, "errorMessage" = NULL,
  "conductorRequestId" = NULL, "updatedAt" = timezone('UTC', now())`;

/**
 * A step of the statement that caches the end-user (see writeUpstreamEndUsers), run only when
 * `condition` holds: the end-user exists upstream and is cached, so whoever holds the claim, it is
 * done. It yields a row when it closed the claim, for later steps to test (`claim_done`).
 */
export function claimDoneStep(sourceId: string, endUserId: string, condition: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`claim_done AS (UPDATE "OnboardingClaim" SET ${DONE(endUserId)} WHERE "sourceId" = ${sourceId} AND ${condition} RETURNING 1)`;
}

/**
 * Closes the claim on `endUserId` with the steps `alongside` builds (guarded by the condition it is
 * given: the claim was closed now), unless it is closed on it already: for an end-user a refresh
 * committed while the write that would have closed it waited on that row, and so found nothing.
 */
export async function closeClaimOnce(
  sourceId: string,
  endUserId: string,
  alongside: (closedNow: Prisma.Sql) => Prisma.Sql[],
): Promise<void> {
  const notClosedOnIt = Prisma.sql`NOT ("state" = 'DONE' AND "endUserId" IS NOT DISTINCT FROM ${endUserId})`;
  await (
    await db()
  ).$executeRaw`
    WITH ${claimDoneStep(sourceId, endUserId, notClosedOnIt)},
      ${Prisma.join(alongside(Prisma.sql`EXISTS (SELECT 1 FROM claim_done)`), ", ")}
    SELECT 1`;
}

/** Closes the claim on an end-user that is already cached (the one Conductor gave us was not kept). */
export async function closeClaim(sourceId: string, endUserId: string): Promise<void> {
  await (
    await db()
  ).$executeRaw`UPDATE "OnboardingClaim" SET ${DONE(endUserId)} WHERE "sourceId" = ${sourceId}`;
}

/** The claim's error columns, set to `error` (or left as they are without one). */
const errorColumns = (error: ClaimError | undefined) =>
  error
    ? Prisma.sql`, "errorCode" = ${error.code}, "errorMessage" = ${error.message},
        "conductorRequestId" = ${error.conductorRequestId ?? null}::text`
    : Prisma.empty;

// Raw statements, so that updatedAt is the database's clock like every other time on the claim
// (Prisma's @updatedAt is the app server's): a refresh compares it with its list's request time.

/**
 * Conductor refused: nothing was created, so a retry may POST again. Whether the claim was still
 * this holder's (a lease that ran out may have passed to another).
 */
export async function failClaim(sourceId: string, token: string, error: ClaimError): Promise<boolean> {
  const updated = await (
    await db()
  ).$executeRaw`
    UPDATE "OnboardingClaim"
    SET "state" = 'FAILED'::"OnboardingState", "leaseToken" = NULL, "leaseExpiresAt" = NULL, "postStartedAt" = NULL,
        "updatedAt" = timezone('UTC', now())${errorColumns(error)}
    WHERE "sourceId" = ${sourceId} AND "leaseToken" = ${token}`;
  return updated === 1;
}

/**
 * Conductor may have created it: keep postStartedAt so the next holder looks before posting.
 * Whether the claim was still this holder's.
 */
export async function markOutcomeUnknown(sourceId: string, token: string, error?: ClaimError): Promise<boolean> {
  const updated = await (
    await db()
  ).$executeRaw`
    UPDATE "OnboardingClaim"
    SET "state" = 'OUTCOME_UNKNOWN'::"OnboardingState", "leaseToken" = NULL, "leaseExpiresAt" = NULL,
        "updatedAt" = timezone('UTC', now())${errorColumns(error)}
    WHERE "sourceId" = ${sourceId} AND "leaseToken" = ${token}`;
  return updated === 1;
}

export async function findClaim(sourceId: string): Promise<OnboardingClaim | null> {
  return (await db()).onboardingClaim.findUnique({ where: { sourceId } });
}

/** Claims nobody is working on that are not settled: awaiting confirmation, or abandoned by a crash. */
export async function findStaleClaims(limit: number): Promise<OnboardingClaim[]> {
  return (await db()).$queryRaw<OnboardingClaim[]>`
    SELECT * FROM "OnboardingClaim"
    WHERE "state" = 'OUTCOME_UNKNOWN' OR ("state" = 'IN_FLIGHT' AND "leaseExpiresAt" < timezone('UTC', now()))
    ORDER BY "updatedAt" ASC
    LIMIT ${limit}`;
}
