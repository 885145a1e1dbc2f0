import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";

function isDatabaseUnavailable(error: unknown): boolean {
  const text = `${(error as Error)?.name} ${(error as { code?: string })?.code} ${(error as Error)?.message}`;
  return /PrismaClientInitializationError|P1001|P1017|ECONNREFUSED|Connection terminated|DatabaseNotReachable/.test(text);
}

/** Turns anything thrown while serving a request into PRODUCT.md's error envelope. */
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

export function errorResponse(error: unknown, request: Request): Response {
  const appError = toAppError(error, `${request.method} ${new URL(request.url).pathname}`);
  const headers: Record<string, string> = {};
  if (appError.details.retryAfterSeconds) headers["Retry-After"] = String(appError.details.retryAfterSeconds);
  return Response.json(appError.toBody(), { status: appError.status, headers });
}
