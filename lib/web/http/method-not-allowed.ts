/**
 * Handlers for the methods a route file does not serve, so they are refused like anything else:
 * 405 in the error envelope with `Allow`, where Next.js would answer a bare 405. And OPTIONS,
 * which Next.js would answer with every method the file exports, the refused ones included.
 */
import "server-only";
import { AppError } from "@/lib/platform/errors/app-error";
import { ROUTE_METHODS, type RouteMethod as Method } from "@/lib/platform/http-methods";
import { errorResponse } from "./error-response";

type Refusal = (request: Request) => Response;

/** 405 in the error envelope, naming the methods `served`, with `allow` as the Allow header. */
export function methodRefusal(request: Request, served: string[], allow = served.join(", ")): Response {
  const response = errorResponse(new AppError("method_not_allowed", `This route takes ${served.join(", ")}.`), request);
  response.headers.set("Allow", allow);
  return response;
}

function refusals(served: Method[], head: boolean) {
  const allow = [...served, ...(head ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: Refusal = (request) => methodRefusal(request, served, allow);
  const options: Refusal = () => new Response(null, { status: 204, headers: { Allow: allow } });
  const refused = Object.fromEntries(ROUTE_METHODS.map((method) => [method, refuse])) as Record<Method, Refusal>;
  return { ...refused, HEAD: refuse, OPTIONS: options };
}

/** `export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");` in a route file serving GET and POST. */
export function otherMethods(...served: Method[]): Record<Method | "OPTIONS", Refusal> {
  const { HEAD: _answeredByGet, ...rest } = refusals(served, served.includes("GET"));
  return rest;
}

/**
 * For a route whose GET runs a job (Vercel Cron calls with GET): HEAD is refused too, where
 * Next.js would run the GET for it and a monitor probing with HEAD would start the job.
 */
export function otherMethodsThanJob(): Record<Method | "HEAD" | "OPTIONS", Refusal> {
  return refusals(["GET"], false);
}
