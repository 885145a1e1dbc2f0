/**
 * Handlers for the methods a route file does not serve, so they are refused like anything else:
 * 405 in the error envelope with `Allow`, where Next.js would answer a bare 405.
 */
import "server-only";
import { AppError } from "@/lib/platform/errors/app-error";
import { errorResponse } from "./error-response";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Method = (typeof METHODS)[number];

/** `export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");` in a route file serving GET and POST. */
export function otherMethods(...served: Method[]): Record<Method, (request: Request) => Response> {
  const allow = [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse = (request: Request) => {
    const response = errorResponse(
      new AppError("method_not_allowed", `This route takes ${served.join(", ")}.`),
      request,
    );
    response.headers.set("Allow", allow);
    return response;
  };
  return Object.fromEntries(METHODS.map((method) => [method, refuse])) as Record<
    Method,
    (request: Request) => Response
  >;
}
