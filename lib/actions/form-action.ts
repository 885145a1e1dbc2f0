/**
 * The one wrapper every server action goes through: session and role, then the form parsed with
 * zod (unknown fields rejected), then the work; every failure becomes a form state the page can
 * show next to the fields, never an exception.
 */
import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { getViewer, type Viewer } from "@/lib/auth/viewer";
import type { Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors/app-error";
import { toAppError } from "@/lib/http/errors";
import { fieldsFromZodError } from "@/lib/http/validation";
import { hit } from "@/lib/rate-limit";
import type { FormState } from "./form-state";

export function formAction<S extends z.ZodType>(
  spec: { name: string; allow: Role[]; schema: S; rateLimit?: { scope: string; perMinute: number } },
  run: (input: z.output<S>, viewer: Viewer) => Promise<string>,
) {
  return async (_previous: FormState, formData: FormData): Promise<FormState> => {
    try {
      const viewer = await getViewer();
      if (!viewer) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
      if (!spec.allow.includes(viewer.role)) throw new AppError("forbidden");
      if (spec.rateLimit) {
        const decision = await hit([`${spec.rateLimit.scope}:user:${viewer.id}`], spec.rateLimit.perMinute);
        if (!decision.allowed) throw new AppError("rate_limited", `Too many attempts. Wait ${decision.retryAfterSeconds} s and try again.`);
      }
      const raw = Object.fromEntries([...formData.entries()].filter(([key]) => !key.startsWith("$ACTION")));
      const parsed = spec.schema.safeParse(raw);
      if (!parsed.success) {
        const fields = fieldsFromZodError(parsed.error);
        throw AppError.invalid(fields, "Please correct the highlighted fields.");
      }
      return { status: "success", message: await run(parsed.data, viewer) };
    } catch (error) {
      unstable_rethrow(error);
      const appError = toAppError(error, `action ${spec.name}`);
      return {
        status: "error",
        code: appError.code,
        message: appError.message,
        fields: appError.details.fields,
        conductorRequestId: appError.details.conductorRequestId,
      };
    }
  };
}
