/**
 * One end-user for a page or the API: the cache first, then Conductor (bounded, refreshing the
 * cache); when Conductor fails or is slow, the cached copy with a notice saying how old it is.
 */
import "server-only";
import type { z } from "zod";
import { databaseNow } from "@/lib/data/clock";
import { saveUpstreamEndUser } from "@/lib/data/end-user-writes";
import { findEndUserById, findEndUserBySourceId, findLatestTombstone, type EndUserDetail } from "@/lib/data/end-users";
import { flagMissingUpstream } from "@/lib/data/missing-upstream";
import { auditActor, type Actor } from "@/lib/model/actor";
import type { EndUser } from "@/lib/model/end-user";
import { env } from "@/lib/platform/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { describeAge } from "@/lib/platform/format";
import { log } from "@/lib/platform/log";
import { assertMayRead } from "@/lib/use-cases/access";
import { conductorHasNoSuchResource } from "@/lib/vendors/conductor/errors";
import { conductor } from "@/lib/wiring/vendors";
import { offboarded } from "./offboarded";
import { publicEndUser } from "./public";
import type { retrievedEndUserSchema } from "./schemas";

export type { EndUserDetail };

/** The answer of a retrieve, around the API's end-user or the pages' detail. */
export type Retrieved<T> = Omit<z.infer<typeof retrievedEndUserSchema>, "endUser"> & { endUser: T };

/** The cached copy, if the caller may see it (null when nothing is cached for an operator). */
export async function readCachedEndUser(actor: Actor, id: string): Promise<EndUserDetail | null> {
  const cached = await findEndUserById(id);
  assertMayRead(actor, cached);
  if (!cached && actor.kind === "customer") throw new AppError("end_user_not_found");
  return cached;
}

/** For an offboarded end-user's page: the live end-user its customer has now (onboarded again), if any. */
export async function onboardedAgain(actor: Actor, tombstone: { sourceId: string }) {
  assertMayRead(actor, tombstone);
  const live = await findEndUserBySourceId(tombstone.sourceId);
  return live && { id: live.id, companyName: live.companyName };
}

/** The customer's end-user offboarded last, for a live one's page: where their earlier history is. */
export async function formerEndUser(actor: Actor, live: { sourceId: string }) {
  assertMayRead(actor, live);
  return findLatestTombstone(live.sourceId);
}

/**
 * Whether the cached copy still counts as Conductor's: synced within CONDUCTOR_READ_FRESH_SECONDS
 * of `now` (database clock), and not missing from Conductor's list since, however recent.
 */
const matchesConductor = (cached: EndUserDetail, now: Date, freshSeconds = env.CONDUCTOR_READ_FRESH_SECONDS): boolean =>
  !cached.missingUpstreamSince && now.getTime() - cached.syncedAt.getTime() < freshSeconds * 1_000;

/** How recent a cached copy answers a page's read, and its connection panel's polls, instead of Conductor. */
export const readFreshSeconds = (): number => env.CONDUCTOR_READ_FRESH_SECONDS;

/** Spends one unit of the caller's budget for reads that ask Conductor. */
export type ConductorReadBudget = () => Promise<{ allowed: boolean; retryAfterSeconds: number }>;

/**
 * Conductor's copy, unless the cached one synced within CONDUCTOR_READ_FRESH_SECONDS (it is that
 * fresh already, unless Conductor's list has lacked it since) or the caller's budget for such
 * reads is spent (the cache answers, with a notice: one person reloading a page must not use up
 * the Conductor quota every customer shares). When Conductor fails, the cached copy with a
 * notice; throws when nothing is cached.
 */
export async function refreshEndUser(
  actor: Actor,
  id: string,
  cached: EndUserDetail | null,
  budget: ConductorReadBudget,
  freshSeconds?: number,
): Promise<Retrieved<EndUserDetail>> {
  const askedAt = await databaseNow();
  if (cached && matchesConductor(cached, askedAt, freshSeconds)) return { endUser: cached, fresh: true };
  const spent = await budget();
  if (!spent.allowed) {
    if (!cached) throw new AppError("rate_limited", undefined, { retryAfterSeconds: spent.retryAfterSeconds });
    // An operator's budget spans every end-user they open: say so, not "this end-user". A customer has one company.
    const whose =
      actor.kind === "operator"
        ? `You have used up your reads from Conductor for now (${env.CONDUCTOR_READ_RATE_LIMIT_PER_MINUTE} a minute, across every end-user you open).`
        : `Your company's details were read from Conductor ${env.CONDUCTOR_READ_RATE_LIMIT_PER_MINUTE} times this minute, as often as they can be.`;
    const notice =
      `${whose} Showing the cached copy, ` +
      `last synced ${describeAge(cached.syncedAt, askedAt.getTime())}; a fresh one can be fetched in ${spent.retryAfterSeconds} s.`;
    return { endUser: cached, fresh: false, notice };
  }
  try {
    const { data, conductorRequestId } = await conductor().retrieveEndUser(id);
    await saveUpstreamEndUser(data, {
      observedAt: askedAt,
      lastCheck: cached?.lastCheck ?? null,
      auditAs: { actor: auditActor(actor), conductorRequestId },
    });
    return { endUser: (await findEndUserById(id))!, fresh: true };
  } catch (error) {
    if (!(error instanceof AppError) || error.details.provider !== "conductor" || !cached) throw error;
    const gone = conductorHasNoSuchResource(error);
    const flagged = gone && (await flaggedMissing(actor, id, error));
    const why = gone ? "Conductor no longer has this end-user." : error.message;
    return {
      endUser: flagged ? ((await findEndUserById(id)) ?? cached) : cached,
      fresh: false,
      notice: `${why} Showing the cached copy, last synced ${describeAge(cached.syncedAt, askedAt.getTime())}.`,
      conductorRequestId: error.details.conductorRequestId,
    };
  }
}

/**
 * Flags the cached end-user missing upstream, as the next list refresh would, once Conductor said
 * it has no such end-user (its own RESOURCE_MISSING: the caller asks): pages stop offering a setup
 * for it. Best effort: the read still answers the cached copy if
 * this write fails. Dated once the answer is in, so a list taken before it cannot clear it.
 */
async function flaggedMissing(actor: Actor, id: string, error: AppError): Promise<boolean> {
  try {
    await flagMissingUpstream(id, await databaseNow(), {
      actor: auditActor(actor),
      conductorRequestId: error.details.conductorRequestId,
    });
    return true;
  } catch (failure) {
    log.warn("end_user.flag_missing_failed", { endUserId: id, message: (failure as Error).message });
    return false;
  }
}

/** GET /api/end-users/[id]: Conductor's copy, or the cache with a notice (`cacheOnly` skips Conductor). */
export async function retrieveEndUser(
  actor: Actor,
  id: string,
  options:
    // `freshSeconds`: how recent a cached copy counts as Conductor's (CONDUCTOR_READ_FRESH_SECONDS
    // unless given); without `cacheOnly`, such a copy answers instead of asking Conductor.
    | { cacheOnly: true; freshSeconds?: number }
    | { cacheOnly?: false; budget: ConductorReadBudget; freshSeconds?: number },
): Promise<Retrieved<EndUser>> {
  const cached = await readCachedEndUser(actor, id);
  // An offboarded end-user is gone from Conductor: the tombstone answers, without asking it.
  if (cached?.deletedAt) throw offboarded(cached.deletedAt);
  if (options.cacheOnly) {
    if (!cached) throw new AppError("end_user_not_found");
    const now = await databaseNow();
    if (matchesConductor(cached, now, options.freshSeconds)) return { endUser: publicEndUser(cached), fresh: true };
    const notice = `Served from the cache, last synced ${describeAge(cached.syncedAt, now.getTime())}.`;
    return { endUser: publicEndUser(cached), fresh: false, notice };
  }
  const result = await refreshEndUser(actor, id, cached, options.budget, options.freshSeconds);
  return { ...result, endUser: publicEndUser(result.endUser) };
}
