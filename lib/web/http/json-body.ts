import { AppError } from "@/lib/platform/errors/app-error";

export const MAX_BODY_BYTES = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The JSON body of a request: application/json only (415), at most 64 KB (413), valid UTF-8 JSON (400). */
export async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new AppError("unsupported_media_type");
  // JSON is UTF-8 (RFC 8259): a body declared in another charset would be read as something else.
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(type)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw new AppError("unsupported_media_type", "Send JSON in UTF-8: charset=utf-8, or no charset.");
  }
  return parseJsonBytes(await readBodyBytes(request));
}

/** A body's bytes as JSON, or 400 `invalid_json`. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    // Strict UTF-8: bytes that are not would otherwise become U+FFFD, and two bodies the same value.
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw new AppError("invalid_json");
  }
}

/** The request's body as bytes, at most 64 KB (413 past it, read no further), whether or not it declared its length. */
export async function readBodyBytes(request: Request): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw new AppError("payload_too_large");
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      // The stream fails only when the client left before sending all it announced.
      const { done, value } = await reader.read().catch(() => {
        throw new AppError("request_incomplete");
      });
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        throw new AppError("payload_too_large");
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  chunks.reduce((offset, chunk) => (bytes.set(chunk, offset), offset + chunk.byteLength), 0);
  return bytes;
}
