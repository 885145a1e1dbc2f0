import "server-only";
import { findMapping, offboardedHolderOf, type LookupKey } from "@/lib/data/lookup";
import type { EndUserMapping } from "@/lib/model/end-user-mapping";
import { AppError } from "@/lib/platform/errors/app-error";
import { offboarded } from "@/lib/use-cases/end-users/offboarded";

export type { EndUserMapping, LookupKey };

/**
 * GET /api/end-users/lookup, and the same answer for server code that calls it directly: which
 * Conductor end-user has this sourceId (or id, or linked provider id), from the cache alone.
 */
export async function lookupEndUser(key: LookupKey): Promise<EndUserMapping> {
  const found = await findMapping(key);
  if (!found) {
    // Offboarding removed the provider id's link, and kept the id with whose it was.
    const gone = "provider" in key ? await offboardedHolderOf(key) : null;
    if (gone) throw offboarded(gone);
    throw new AppError("end_user_not_found", "No cached end-user matches.");
  }
  const { deletedAt, ...mapping } = found;
  if (deletedAt) throw offboarded(deletedAt);
  return mapping;
}
