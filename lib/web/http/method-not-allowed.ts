/**
 * Handlers for the methods a route file does not serve, so they are refused like anything else:
 * 405 in the error envelope with `Allow`, where Next.js would answer a bare 405. And OPTIONS,
 * which Next.js would answer with every method the file exports, the refused ones included.
 */
import "server-only";
import { AppError } from "@/lib/platform/errors/app-error";
import { errorResponse } from "./error-response";

/** The methods a route file may export a handler for (Next.js answers HEAD and OPTIONS itself). */
export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Method = (typeof ROUTE_METHODS)[number];
type Refusal = (request: Request) => Response;

/** `export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");` in a route file serving GET and POST. */
export function otherMethods(...served: Method[]): Record<Method | "OPTIONS", Refusal> {
  const allow = [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: Refusal = (request) => {
    const response = errorResponse(
      new AppError("method_not_allowed", `This route takes ${served.join(", ")}.`),
      request,
    );
    response.headers.set("Allow", allow);
    return response;
  };
  const options: Refusal = () => new Response(null, { status: 204, headers: { Allow: allow } });
  const refusals = Object.fromEntries(ROUTE_METHODS.map((method) => [method, refuse])) as Record<Method, Refusal>;
  return { ...refusals, OPTIONS: options };
}
