"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { refreshFromConductor } from "@/lib/use-cases/end-users/refresh";
import { formAction } from "@/lib/web/actions/form-action";

export const refreshAction = formAction(
  { name: "refresh", allow: ["operator"], schema: z.strictObject({}) },
  async (_input, viewer) => {
    const report = await refreshFromConductor(viewer);
    revalidatePath("/end-users");
    return (
      `Refreshed ${report.upstream} end-users from Conductor: ${report.added} added, ${report.updated} updated, ` +
      `${report.unchanged} unchanged, ${report.missingUpstream} missing upstream` +
      (report.duplicates ? `, ${report.duplicates} duplicate sourceIds ignored` : "") +
      (report.conflicts ? `, ${report.conflicts} conflicting sourceIds left for review` : "") +
      "."
    );
  },
);
