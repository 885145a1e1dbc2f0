import { z } from "zod";
import { endUserSchema } from "@/lib/model/end-user";
import { env } from "@/lib/platform/env";
import { listEndUsers } from "@/lib/use-cases/end-users/list";
import { endUserListSchema, listQuerySchema } from "@/lib/use-cases/end-users/schemas";
import { createEndUser, refuseCreationInput } from "@/lib/use-cases/onboarding/create-end-user";
import { createEndUserRequestSchema } from "@/lib/use-cases/onboarding/input";
import { route } from "@/lib/web/http/route";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export const maxDuration = 30;

export const GET = route(
  {
    maxDuration,
    allow: "operator",
    summary: "Cached end-users, newest first, with counts per connection status",
    query: listQuerySchema,
    answers: { 200: { description: "A page of end-users and the counts", schema: endUserListSchema } },
  },
  async ({ actor, query, reply }) => reply(200, await listEndUsers(actor, query)),
);

const created = z.object({ endUser: endUserSchema });

// Each attempt may make Conductor calls (a full list when an earlier outcome is unknown).
export const POST = route(
  {
    maxDuration,
    allow: "customer-or-operator",
    summary: "Creates the caller's (or, for an operator, any) Conductor end-user exactly once per sourceId",
    body: createEndUserRequestSchema,
    answers: {
      200: {
        description:
          "It already existed: answered as it is, whatever companyName or email this request sent (this API " +
          "never updates an existing end-user; compare them with yours to see whether they were used)",
        schema: created,
      },
      201: { description: "Created now", schema: created },
    },
    errors: ["onboarding_in_progress", "offboarding_in_progress", "source_id_conflict", "end_user_deleted"],
    rateLimit: { scope: "create", perMinute: env.CREATE_RATE_LIMIT_PER_MINUTE },
    refuseInput: ({ body }, actor) => refuseCreationInput(actor, body),
  },
  async ({ actor, body, reply }) => {
    const { endUser, created } = await createEndUser(actor, body);
    return reply(created ? 201 : 200, { endUser });
  },
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
