/** Who is asking: a signed-in person, another backend with a token, a scheduled job, or nobody. */
export type Person = { kind: "operator" | "customer"; id: string; email: string };

export type Actor =
  | Person
  | { kind: "service"; tokenId: string }
  | { kind: "cron" }
  | { kind: "system"; job: "scheduler" | "cli" }
  | { kind: "anonymous" };

export const isPerson = (actor: Actor): actor is Person => actor.kind === "operator" || actor.kind === "customer";

/** How an actor is recorded in the audit trail: a person's email, or the kind of caller. */
export function auditActor(actor: Actor): string {
  if (isPerson(actor)) return actor.email.toLowerCase();
  return actor.kind === "system" ? actor.job : actor.kind;
}

/** A customer's Conductor end-user carries their user id as its sourceId. */
export const sourceIdOf = (person: Person): string => person.id;
