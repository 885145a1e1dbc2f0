import "server-only";
import { findMapping, offboardedHolderOf, type LookupKey } from "@/lib/data/lookup";
import type { Actor } from "@/lib/model/actor";
import type { EndUserMapping } from "@/lib/model/end-user-mapping";
import { AppError } from "@/lib/platform/errors/app-error";
import { assertMayLookUp } from "@/lib/use-cases/access";
import { offboarded } from "@/lib/use-cases/end-users/offboarded";
import { sourceIdSchema } from "@/lib/use-cases/onboarding/input";

export type { EndUserMapping, LookupKey };

type Offboarded = { id: string; sourceId: string; deletedAt: Date };

/**
 * 410 naming the offboarded end-user and its customer's sourceId, and the customer's live
 * end-user when they have onboarded again: a caller holding an old id (or a provider id the
 * offboarding unlinked) can follow the customer, while the old id itself stays gone.
 */
async function offboardedMapping(gone: Offboarded, key: LookupKey): Promise<AppError> {
  const current = "sourceId" in key ? null : await findMapping({ sourceId: gone.sourceId });
  const live = current && !current.deletedAt ? current.id : null;
  const unlinked =
    "provider" in key ? ` The ${key.provider} id is not linked to it: an operator can link it again.` : "";
  return offboarded(gone.deletedAt, {
    said: live ? ` Its customer (sourceId ${gone.sourceId}) has end-user ${live} now.${unlinked}` : "",
    fields: { id: [gone.id], sourceId: [gone.sourceId], ...(live ? { currentId: [live] } : {}) },
  });
}

/**
 * Why a sourceId nothing matches may never match: one unlike any this app creates (say, a
 * Conductor id given as sourceId, or text in another Unicode form). Refusing it would hide an
 * end-user created in Conductor with such a sourceId, which the cache does keep.
 */
function unlikeCreatedSourceIds(key: LookupKey): string {
  if (!("sourceId" in key)) return "";
  const created = sourceIdSchema.safeParse(key.sourceId);
  if (created.success) return "";
  const advice = /^end_usr_/i.test(key.sourceId) ? " To look up a Conductor id, send it as id." : "";
  return ` The sourceId is unlike any this app creates: it ${created.error.issues[0]!.message}.${advice}`;
}

/**
 * GET /api/end-users/lookup, and the same answer for server code that calls it directly with the
 * caller it acts for: which Conductor end-user has this sourceId (or id, or linked provider id),
 * from the cache alone.
 */
export async function lookupEndUser(actor: Actor, key: LookupKey): Promise<EndUserMapping> {
  assertMayLookUp(actor);
  const found = await findMapping(key);
  if (!found) {
    // Offboarding removed the provider id's link, and kept the id with whose it was.
    const gone = "provider" in key ? await offboardedHolderOf(key) : null;
    if (gone) throw await offboardedMapping(gone, key);
    throw new AppError("end_user_not_found", `No cached end-user matches.${unlikeCreatedSourceIds(key)}`);
  }
  const { deletedAt, ...mapping } = found;
  if (deletedAt) throw await offboardedMapping({ id: mapping.id, sourceId: mapping.sourceId, deletedAt }, key);
  return mapping;
}
