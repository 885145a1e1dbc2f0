/**
 * One end-user for a page or the API: fresh from Conductor when it answers in time (and the
 * cache refreshed), otherwise the cached copy with a notice saying how old it is and why.
 */
import "server-only";
import { retrieveEndUser } from "@/lib/conductor/end-users";
import { findEndUserById, refreshCachedEndUser, type EndUserDetail } from "@/lib/data/end-users";
import { AppError } from "@/lib/errors/app-error";
import { describeAge } from "@/lib/format";

export type RetrievedEndUser = {
  endUser: EndUserDetail;
  fresh: boolean;
  notice?: string;
  conductorRequestId?: string;
};

/** Who is asking: operators see every end-user, a customer only their own (others are 404). */
export type Reader = { role: "operator" } | { role: "customer"; userId: string };

export async function retrieveForReader(id: string, reader: Reader, options: { cacheOnly?: boolean } = {}): Promise<RetrievedEndUser> {
  const cached = await findEndUserById(id);
  if (reader.role === "customer" && cached?.sourceId !== reader.userId) throw new AppError("end_user_not_found");
  if (options.cacheOnly) {
    if (!cached) throw new AppError("end_user_not_found");
    return { endUser: cached, fresh: false, notice: `Served from the cache, last synced ${describeAge(cached.syncedAt)}.` };
  }
  try {
    const { data } = await retrieveEndUser(id);
    await refreshCachedEndUser(data);
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
