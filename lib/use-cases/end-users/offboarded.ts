import { AppError } from "@/lib/platform/errors/app-error";
import { formatTimestamp } from "@/lib/platform/format";

/**
 * 410 for an end-user that was offboarded, with when in the error's fields; `more` adds to the
 * message and the fields (a lookup names the end-user and where its customer is now).
 */
export function offboarded(deletedAt: Date, more: { said?: string; fields?: Record<string, string[]> } = {}): AppError {
  const said = `This end-user was offboarded on ${formatTimestamp(deletedAt)}.${more.said ?? ""}`;
  return new AppError("end_user_deleted", said, { fields: { deletedAt: [deletedAt.toISOString()], ...more.fields } });
}
