/**
 * One end-user for a page or the API: the cache first, then Conductor (bounded, refreshing the
 * cache); when Conductor fails or is slow, the cached copy with a notice saying how old it is.
 */
import "server-only";
import { retrieveEndUser } from "@/lib/conductor/end-users";
import { findEndUserById, saveUpstreamEndUser, type EndUserDetail } from "@/lib/data/end-users";
import { AppError } from "@/lib/errors/app-error";
import { describeAge } from "@/lib/format";

export type RetrievedEndUser = {
  endUser: EndUserDetail;
  fresh: boolean;
  notice?: string;
  conductorRequestId?: string;
};

/** Who is asking: operators see every end-user, a customer only their own. */
export type Reader = { role: "operator" } | { role: "customer"; userId: string };

/** The cached copy, if the reader may see it; someone else's end-user is as unknown as a missing one. */
export async function cachedForReader(id: string, reader: Reader): Promise<EndUserDetail | null> {
  const cached = await findEndUserById(id);
  if (reader.role === "customer" && cached?.sourceId !== reader.userId) throw new AppError("end_user_not_found");
  return cached;
}

/** Asks Conductor; on failure answers with `cached` and a notice, or throws when nothing is cached. */
export async function retrieveFresh(id: string, cached: EndUserDetail | null): Promise<RetrievedEndUser> {
  try {
    const { data } = await retrieveEndUser(id);
    await saveUpstreamEndUser(data);
    return { endUser: (await findEndUserById(id))!, fresh: true };
  } catch (error) {
    if (!(error instanceof AppError) || error.details.provider !== "conductor" || !cached) throw error;
    const why = error.code === "end_user_not_found" ? "Conductor no longer has this end-user." : error.message;
    return {
      endUser: cached,
      fresh: false,
      notice: `${why} Showing the cached copy, last synced ${describeAge(cached.syncedAt)}.`,
      conductorRequestId: error.details.conductorRequestId,
    };
  }
}

export async function retrieveForReader(id: string, reader: Reader, options: { cacheOnly?: boolean } = {}): Promise<RetrievedEndUser> {
  const cached = await cachedForReader(id, reader);
  if (!options.cacheOnly) return retrieveFresh(id, cached);
  if (!cached) throw new AppError("end_user_not_found");
  return { endUser: cached, fresh: false, notice: `Served from the cache, last synced ${describeAge(cached.syncedAt)}.` };
}
