import "server-only";
import { findEndUserBySourceId } from "@/lib/data/end-users";
import { otherSignInEmail } from "@/lib/data/users";
import { auditActor, type Actor, type Person } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import { assertPerson } from "@/lib/use-cases/access";
import { publicEndUser } from "@/lib/use-cases/end-users/public";
import { createEndUserOnce, type CreateEndUserInput, type CreateOnceResult } from "./create-once";
import { creationInputFor, type CreateEndUserRequest } from "./input";

/**
 * An operator's sourceId may name a customer who has signed up: the end-user is then theirs, and
 * the setup links it is sent go to its email, which must be the one they sign in with. Another
 * email is refused unless their end-user exists, which is then the answer (200) whatever was sent:
 * the input goes on with their email, so should an offboarding end it meanwhile, the end-user
 * created in its place is still theirs.
 */
async function withAccountEmail(input: CreateEndUserInput): Promise<CreateEndUserInput> {
  const accountEmail = await otherSignInEmail(input.sourceId, input.email);
  if (accountEmail === null) return input;
  if (!(await findEndUserBySourceId(input.sourceId)))
    throw AppError.invalid({
      email: [
        `must be ${accountEmail}: this sourceId is the account id of whoever signs in with that email, and the end-user's QuickBooks Desktop setup links go to its email`,
      ],
    });
  return { ...input, email: accountEmail };
}

/**
 * What POST /api/end-users refuses before the caller's budget is spent: fields a customer may not
 * send, and an operator's email that is not the one of the customer its sourceId names.
 */
export function refuseCreationInput(actor: Actor, request: CreateEndUserRequest): void | Promise<void> {
  const input = creationInputFor(actor, request);
  if (actor.kind === "operator") return withAccountEmail(input).then(() => undefined);
}

/** POST /api/end-users: a customer onboards their company, or an operator onboards one for them. */
export async function createEndUser(actor: Actor, request: CreateEndUserRequest): Promise<CreateOnceResult> {
  assertPerson(actor);
  const requested = creationInputFor(actor, request);
  const input = actor.kind === "operator" ? await withAccountEmail(requested) : requested;
  const { endUser, created } = await createEndUserOnce(input, auditActor(actor));
  return { endUser: publicEndUser(endUser), created };
}

/** The onboarding form: the same rules, for the signed-in customer. */
export function onboardCompany(customer: Person, companyName: string): Promise<CreateOnceResult> {
  return createEndUser(customer, { companyName });
}
