/**
 * What each kind of caller may reach, checked by the use cases themselves as well as by the route
 * and action wrappers: a page, route or job calling a use case cannot forget it.
 */
import { isPerson, sourceIdOf, type Actor, type Person } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";

export function assertOperator(actor: Actor): asserts actor is Person & { kind: "operator" } {
  if (actor.kind === "anonymous") throw new AppError("unauthenticated");
  if (actor.kind !== "operator") throw new AppError("forbidden");
}

export function assertPerson(actor: Actor): asserts actor is Person {
  if (actor.kind === "anonymous") throw new AppError("unauthenticated");
  if (!isPerson(actor)) throw new AppError("forbidden");
}

/** Operators see every end-user; a customer only their own, and someone else's is as unknown as a missing one. */
export function assertMayRead(actor: Actor, endUser: { sourceId: string } | null): void {
  assertPerson(actor);
  if (actor.kind === "customer" && endUser && endUser.sourceId !== sourceIdOf(actor))
    throw new AppError("end_user_not_found");
}

/** Jobs that run without a person: the cron, the in-process scheduler, the CLI. */
export function assertJob(actor: Actor): void {
  if (actor.kind !== "cron" && actor.kind !== "system") throw new AppError("forbidden");
}

const LOOKS_UP: ReadonlySet<Actor["kind"]> = new Set(["service", "operator", "cron", "system"]);

/** Who may ask which end-user a key maps to: other backends, operators, jobs; never a customer. */
export function assertMayLookUp(actor: Actor): void {
  if (actor.kind === "anonymous") throw new AppError("unauthenticated");
  if (!LOOKS_UP.has(actor.kind)) throw new AppError("forbidden");
}
