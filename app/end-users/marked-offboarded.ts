/**
 * What "Mark offboarded" just came to, for the list Next renders after the action in the same
 * response. Either way the row's form leaves that list (an offboarded row is hidden; a row
 * Conductor still has is no longer flagged missing), so the page says what happened instead,
 * with or without JavaScript.
 */
import "server-only";
import { revalidatePath } from "next/cache";
import type { Person } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import type { Offboarded } from "@/lib/use-cases/offboarding/offboard";
import { readCachedEndUser } from "@/lib/use-cases/end-users/retrieve";
import { oncePerRequest, rememberForRequest } from "@/lib/web/request-memo";

const KEY = "end-users:marked-offboarded";

type MarkOutcome =
  ({ kind: "offboarded" } & Offboarded) | { kind: "still_in_conductor"; id: string; conductorRequestId: string | null };

export const rememberMarkOutcome = (outcome: MarkOutcome): Promise<void> =>
  rememberForRequest<MarkOutcome | null>(KEY, outcome);

/**
 * For the action's `.catch`: Conductor still has the end-user, whose row was refreshed from its copy
 * on the way. The list comes back with that row and the refusal; every failure is rethrown.
 */
export const showStillInConductor =
  (id: string) =>
  async (error: unknown): Promise<never> => {
    if (error instanceof AppError && error.code === "still_in_conductor") {
      await rememberMarkOutcome({
        kind: "still_in_conductor",
        id,
        conductorRequestId: error.details.conductorRequestId ?? null,
      });
      revalidatePath("/end-users");
    }
    throw error;
  };

/** The outcome of Mark offboarded in this request, with the end-user's company name; null in any other request. */
export async function markOutcomeNow(viewer: Person) {
  const outcome = await oncePerRequest<MarkOutcome | null>(KEY, async () => null);
  if (!outcome) return null;
  const endUser = await readCachedEndUser(viewer, outcome.id);
  return { ...outcome, companyName: endUser?.companyName ?? outcome.id };
}
