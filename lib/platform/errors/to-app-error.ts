import { randomUUID } from "node:crypto";
import { log } from "@/lib/platform/log";
import { AppError } from "./app-error";

function isDatabaseUnavailable(error: unknown): boolean {
  const text = `${(error as Error)?.name} ${(error as { code?: string })?.code} ${(error as Error)?.message}`;
  return /PrismaClientInitializationError|P1001|P1017|ECONNREFUSED|Connection terminated|DatabaseNotReachable/.test(
    text,
  );
}

/**
 * Anything thrown while serving a request, as an AppError: ours pass through, an unreachable
 * database becomes a 503, and anything else a 500 whose id is in the log (the cause never leaves).
 */
export function toAppError(error: unknown, where: string): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    log.error("database.unavailable", { where, message: (error as Error).message });
    return new AppError("database_unavailable");
  }
  const errorId = randomUUID();
  log.error("request.failed", { where, errorId, name: (error as Error)?.name, message: (error as Error)?.message });
  return new AppError("internal_error", `Something went wrong on our side (error ${errorId}).`);
}
