import "server-only";
import { auditActor, type Actor, type Person } from "@/lib/model/actor";
import { assertPerson } from "@/lib/use-cases/access";
import { publicEndUser } from "@/lib/use-cases/end-users/public";
import { createEndUserOnce, type CreateOnceResult } from "./create-once";
import { creationInputFor, type CreateEndUserRequest } from "./input";

/** POST /api/end-users: a customer onboards their company, or an operator onboards one for them. */
export async function createEndUser(actor: Actor, request: CreateEndUserRequest): Promise<CreateOnceResult> {
  assertPerson(actor);
  const { endUser, created } = await createEndUserOnce(creationInputFor(actor, request), auditActor(actor));
  return { endUser: publicEndUser(endUser), created };
}

/** The onboarding form: the same rules, for the signed-in customer. */
export function onboardCompany(customer: Person, companyName: string): Promise<CreateOnceResult> {
  return createEndUser(customer, { companyName });
}
