import { AppError } from "@/lib/platform/errors/app-error";
import { errorResponse } from "@/lib/web/http/error-response";

/** A path under /api that no route serves: 404 in the error envelope (not the HTML page), whatever the method. */
function noSuchRoute(request: Request): Response {
  return errorResponse(new AppError("not_found", "No API route has this path."), request);
}

export {
  noSuchRoute as GET,
  noSuchRoute as HEAD,
  noSuchRoute as POST,
  noSuchRoute as PUT,
  noSuchRoute as PATCH,
  noSuchRoute as DELETE,
  noSuchRoute as OPTIONS,
};
