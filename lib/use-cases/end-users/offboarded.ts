import { AppError } from "@/lib/platform/errors/app-error";
import { formatTimestamp } from "@/lib/platform/format";

/** 410 for an end-user that was offboarded, with when in the error's fields. */
export function offboarded(deletedAt: Date): AppError {
  return new AppError("end_user_deleted", `This end-user was offboarded on ${formatTimestamp(deletedAt)}.`, {
    fields: { deletedAt: [deletedAt.toISOString()] },
  });
}
