/**
 * Offboarding a customer: their Conductor end-user is deleted (its connections with it, so
 * QuickBooks stops syncing) and our row stays as a tombstone; they may onboard again afterwards.
 */
import "server-only";
import { saveUpstreamEndUser } from "@/lib/data/end-user-writes";
import { foldAlike } from "@/lib/data/end-user-search";
import { findEndUserById } from "@/lib/data/end-users";
import { auditActor, type Actor } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import { assertOperator } from "@/lib/use-cases/access";
import { offboarded } from "@/lib/use-cases/end-users/offboarded";
import { conductorHasNoSuchResource } from "@/lib/vendors/conductor/errors";
import { conductor } from "@/lib/wiring/vendors";
import { finishTombstone, settleOffboarding, type Offboarded } from "./settle";

export type { Offboarded };

async function liveEndUser(id: string) {
  const endUser = await findEndUserById(id);
  if (!endUser) throw new AppError("end_user_not_found");
  if (endUser.deletedAt) throw offboarded(endUser.deletedAt);
  return endUser;
}

/**
 * A company name as an operator can type it: composed, whitespace runs as one space, and without
 * what no keyboard types or no eye sees (control and format characters such as zero-width spaces,
 * soft hyphens and bidi controls, line separators, the replacement character a refresh stores for
 * what Postgres cannot): Conductor's names are cached as it holds them.
 */
const asTyped = (name: string) =>
  name
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\uFFFD]/gu, "")
    .replace(/\s+/g, " ")
    .trim();

/**
 * Whether what the operator typed is the company name as it can be typed: as the page shows it,
 * case included, or folded alike as search folds it, so that a keyboard's apostrophe stands for a
 * typographic one, plain letters for ligatures, full-width or accented ones.
 */
async function confirms(typed: string, companyName: string): Promise<boolean> {
  const [text, name] = [asTyped(typed), asTyped(companyName)];
  return text === name || (text !== "" && (await foldAlike(text, name)));
}

/**
 * DELETE /api/end-users/[id], and the detail page's Offboard action, which also passes what the
 * operator typed to confirm: the company name (see confirms).
 */
export async function offboardEndUser(
  actor: Actor,
  id: string,
  options: { confirmation?: string } = {},
): Promise<Offboarded> {
  assertOperator(actor);
  const endUser = await liveEndUser(id);
  if (options.confirmation !== undefined && !(await confirms(options.confirmation, endUser.companyName))) {
    throw AppError.invalid(
      { confirmation: [`must be the company name: ${asTyped(endUser.companyName)}`] },
      "The name typed does not match the company name; nothing was offboarded.",
    );
  }
  return settleOffboarding(endUser, auditActor(actor), "interactive");
}

/**
 * "Mark offboarded" for an end-user someone deleted in Conductor's dashboard: Conductor is asked
 * first, and only its own word that it has no such end-user makes the row a tombstone. If
 * Conductor still has it, the cache is refreshed from its answer (no longer flagged missing) and
 * nothing is tombstoned.
 */
export async function tombstoneMissingEndUser(actor: Actor, id: string): Promise<Offboarded> {
  assertOperator(actor);
  const cached = await liveEndUser(id);
  const retrieved = await conductor()
    .retrieveEndUser(id)
    .catch((error: unknown) => {
      if (conductorHasNoSuchResource(error)) return error as AppError;
      throw error;
    });
  if (retrieved instanceof AppError) {
    const { conductorRequestId } = retrieved.details;
    return finishTombstone(id, { action: "END_USER_TOMBSTONED", actor: auditActor(actor), conductorRequestId });
  }
  // Back in Conductor's list, perhaps renamed: recorded as any change seen in its record.
  await saveUpstreamEndUser(retrieved.data, {
    lastCheck: cached.lastCheck,
    auditAs: { actor: auditActor(actor), conductorRequestId: retrieved.conductorRequestId },
  });
  // The answer that says so is named, as every other of Conductor's.
  throw new AppError("still_in_conductor", undefined, { conductorRequestId: retrieved.conductorRequestId });
}
