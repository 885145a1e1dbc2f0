"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { describeSyncCounts } from "@/lib/model/reconcile-report";
import { formatTimestamp } from "@/lib/platform/format";
import { refreshFromConductor } from "@/lib/use-cases/end-users/refresh";
import { endUserIdSchema } from "@/lib/use-cases/end-users/schemas";
import { tombstoneMissingEndUser } from "@/lib/use-cases/offboarding/offboard";
import { formAction } from "@/lib/web/actions/form-action";
import { rememberMarkOutcome, showStillInConductor } from "./marked-offboarded";

export const refreshAction = formAction(
  { name: "refresh", allow: ["operator"], schema: z.strictObject({}) },
  async (_input, viewer) => {
    const report = await refreshFromConductor(viewer);
    revalidatePath("/end-users");
    const endUsers = report.upstream === 1 ? "end-user" : "end-users";
    return `Refreshed ${report.upstream} ${endUsers} from Conductor: ${describeSyncCounts(report)}.`;
  },
);

/**
 * "Mark offboarded" on a row that a refresh no longer found in Conductor: verified with Conductor
 * first. When Conductor still has it, its row was just refreshed from Conductor's copy: the list
 * comes back with it and says why nothing was marked.
 */
export const markOffboardedAction = formAction(
  { name: "markOffboarded", allow: ["operator"], schema: z.strictObject({ endUserId: endUserIdSchema }) },
  async ({ endUserId }, viewer) => {
    const offboarded = await tombstoneMissingEndUser(viewer, endUserId).catch(showStillInConductor(endUserId));
    await rememberMarkOutcome({ kind: "offboarded", ...offboarded });
    revalidatePath("/end-users");
    return `Conductor confirmed it is gone: marked offboarded on ${formatTimestamp(offboarded.deletedAt)}.`;
  },
);
