import { randomUUID } from "node:crypto";
import { causeOf, log } from "@/lib/platform/log";
import { AppError } from "./app-error";

function isDatabaseUnavailable(error: unknown): boolean {
  const text = `${(error as Error)?.name} ${(error as { code?: string })?.code} ${(error as Error)?.message}`;
  // SCHEMA_BEHIND: the database lacks a migration this build needs (lib/db/schema-check.ts).
  // 57P01-57P03: the server is shutting down, was restarted, or is not accepting connections yet.
  return /SCHEMA_BEHIND|PrismaClientInitializationError|P1001|P1017|ECONNREFUSED|ECONNRESET|Connection terminated|DatabaseNotReachable|57P0[123]|terminating connection|database system is (?:shutting down|starting up|in recovery mode)|timeout exceeded when trying to connect|Can't reach database server/.test(
    text,
  );
}

/**
 * A failure nobody expected, as a 500 whose id is in the log with the cause and where it was
 * thrown (neither ever leaves): the id the caller is shown finds the line.
 */
export function unexpectedError(error: unknown, where: string): AppError {
  const errorId = randomUUID();
  log.error("request.failed", { where, errorId, ...causeOf(error) });
  return new AppError("internal_error", `Something went wrong on our side (error ${errorId}).`);
}

/**
 * Anything thrown while serving a request, as an AppError: ours pass through, an unreachable
 * database becomes a 503, and anything else an unexpected error.
 */
export function toAppError(error: unknown, where: string): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    log.error("database.unavailable", { where, message: (error as Error).message });
    return new AppError("database_unavailable");
  }
  return unexpectedError(error, where);
}
