import "server-only";
import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/platform/errors/app-error";

/**
 * For an action's `.catch`: a failure on a vendor's side may have been recorded all the same (an
 * offboarding Conductor did not confirm, and its audit event), so `paths` are rendered again, as a
 * reload would show them, before the failure is answered.
 */
export function revalidateOnUpstreamFailure(...paths: string[]): (error: unknown) => never {
  return (error) => {
    if (error instanceof AppError && (error.details.provider || error.details.conductorRequestId))
      for (const path of paths) revalidatePath(path);
    throw error;
  };
}
