/**
 * A request body as Conductor's API documents it: JSON, sent as `application/json` (the only
 * content its reference lists), of a size an API takes. The sandbox holds what it keeps in memory.
 */
import { BODY_LIMIT_BYTES, readBoundedText } from "@/lib/sandbox/responses";
import { conductorError } from "./errors";

/** The body's JSON value, or the error Conductor's shape answers with. */
export async function readJsonBody(request: Request): Promise<{ value: unknown } | Response> {
  const mediaType = request.headers.get("content-type")?.split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json")
    return conductorError(
      415,
      "INVALID_REQUEST_ERROR",
      "UNSUPPORTED_MEDIA_TYPE",
      "The request body must be JSON, sent with `Content-Type: application/json`.",
    );
  const text = await readBoundedText(request, BODY_LIMIT_BYTES);
  if (text === null)
    return conductorError(413, "INVALID_REQUEST_ERROR", "REQUEST_TOO_LARGE", "The request body is larger than 1 MB.");
  try {
    return { value: JSON.parse(text) };
  } catch {
    return conductorError(400, "INVALID_REQUEST_ERROR", "INVALID_JSON", "The request body is not valid JSON.");
  }
}
