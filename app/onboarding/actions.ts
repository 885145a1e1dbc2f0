"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { env } from "@/lib/platform/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { onboardCompany } from "@/lib/use-cases/onboarding/create-end-user";
import { companyNameSchema } from "@/lib/use-cases/onboarding/input";
import { formAction } from "@/lib/web/actions/form-action";
import { companyReady } from "./company-ready";
import { rememberOnboarded, rememberUnusedName } from "./current-status";

/** The same rules as POST /api/end-users for a customer: sourceId and email come from the session. */
export const onboardAction = formAction(
  {
    name: "onboard",
    allow: ["customer"],
    // The account the page was rendered for: a tab left open across a sign-out and another
    // sign-in must not create the new account's end-user under the name typed for the old one.
    schema: z.strictObject({ companyName: companyNameSchema, signedInAs: z.string().optional() }),
    rateLimit: { scope: "create", perMinute: env.CREATE_RATE_LIMIT_PER_MINUTE },
    refuseInput: ({ signedInAs }, viewer) => {
      if (signedInAs !== undefined && signedInAs !== viewer.id)
        throw new AppError(
          "account_changed",
          `This page was opened for another account: this browser is now signed in as ${viewer.email}. Nothing was created; reload the page to continue as ${viewer.email}.`,
        );
    },
  },
  async ({ companyName }, viewer) => {
    const { endUser, created } = await onboardCompany(viewer, companyName).catch((error: unknown) => {
      // Conductor's failure, or another tab's creation, changes what the page shows (a failed or
      // unknown outcome, or one in progress): the form's page follows, as a reload would show it.
      // Not when the database failed: the page could not be rendered either.
      if (error instanceof AppError && error.code !== "database_unavailable") revalidatePath("/onboarding");
      throw error;
    });
    // The page is rendered after the action only for a form posted without JavaScript; with it,
    // the answer carries the step that takes the form's place, and nothing else is rendered.
    await rememberOnboarded(viewer, endUser);
    // Another tab (or an earlier visit) may have set it up under another name, which stands.
    const nameUnused = !created && endUser.companyName !== companyName;
    if (nameUnused) await rememberUnusedName(viewer, companyName);
    const next = companyReady({ kind: "done", endUser }, nameUnused ? companyName : undefined);
    if (created)
      return { message: `${endUser.companyName} is set up with Conductor. Next: connect QuickBooks Desktop.`, next };
    const unused = nameUnused ? ` The name you entered, ${companyName}, was not used.` : "";
    return { message: `${endUser.companyName} was already set up with Conductor.${unused}`, next };
  },
);
