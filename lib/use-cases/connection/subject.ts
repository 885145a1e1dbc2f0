import "server-only";
import { findConnectionSubject, type ConnectionSubject } from "@/lib/data/connections";
import { offboardingState } from "@/lib/data/offboarding";
import type { Actor } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import { assertMayRead } from "@/lib/use-cases/access";
import { offboarded } from "@/lib/use-cases/end-users/offboarded";
import { conductorHasNoSuchResource } from "@/lib/vendors/conductor/errors";

export type { ConnectionSubject };

/**
 * Spends the end-user's budget for this work (throwing when it is spent out). Called only once the
 * caller may act on the end-user, so nobody else can spend it for them.
 */
export type EndUserBudget = () => Promise<void>;

/**
 * The end-user whose connection is asked about, if the caller may see it: else a 404 either way.
 * An offboarded one is gone from Conductor, connections included: 410. Then `budget` is spent.
 */
export async function connectionSubject(
  actor: Actor,
  endUserId: string,
  budget?: EndUserBudget,
): Promise<ConnectionSubject> {
  const subject = await findConnectionSubject(endUserId);
  assertMayRead(actor, subject);
  if (!subject) throw new AppError("end_user_not_found");
  if (subject.deletedAt) throw offboarded(subject.deletedAt);
  await budget?.();
  return subject;
}

/**
 * Conductor has no such end-user: when an offboarding deleted it between our read and this call,
 * that is the answer (410 once it is recorded, 409 while it is under way), not "unknown".
 */
export async function offboardingOr(endUserId: string, error: unknown): Promise<unknown> {
  if (!conductorHasNoSuchResource(error)) return error;
  return (await offboardingRefusal(endUserId)) ?? error;
}

/** 410 once an offboarding is recorded, 409 while its DELETE is unsettled; null when none reached Conductor. */
export async function offboardingRefusal(endUserId: string): Promise<AppError | null> {
  const state = await offboardingState(endUserId);
  if (state?.deletedAt) return offboarded(state.deletedAt);
  return state?.deleteSent ? new AppError("offboarding_in_progress") : null;
}
