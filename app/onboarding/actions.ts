"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/actions/form-action";
import { env } from "@/lib/env";
import { companyNameSchema } from "@/lib/onboarding/input";
import { createEndUserOnce } from "@/lib/onboarding/create-once";

/** The same rules as POST /api/end-users for a customer: sourceId and email come from the session. */
export const onboardAction = formAction(
  {
    name: "onboard",
    allow: ["customer"],
    schema: z.strictObject({ companyName: companyNameSchema }),
    rateLimit: { scope: "create", perMinute: env.CREATE_RATE_LIMIT_PER_MINUTE },
  },
  async ({ companyName }, viewer) => {
    const { endUser, created } = await createEndUserOnce({ sourceId: viewer.id, email: viewer.email, companyName }, viewer.id);
    revalidatePath("/onboarding");
    return created ? `${endUser.companyName} is connected to Conductor.` : `${endUser.companyName} was already connected.`;
  },
);
