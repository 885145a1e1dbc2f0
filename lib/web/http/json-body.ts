import { AppError } from "@/lib/platform/errors/app-error";
import { GIVEN_TWICE } from "@/lib/model/text";
import { repeatedKeyPath } from "./repeated-key";

export const MAX_BODY_BYTES = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * What a JSON body must be sent as: application/json (415), in UTF-8 (JSON is UTF-8, RFC 8259: a
 * body declared in another charset, or in two, would be read as something else), and with no
 * content coding, which nothing here decodes (RFC 9110: 415 for a coding the server does not take).
 */
function assertJsonMediaType(request: Request): void {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new AppError("unsupported_media_type");
  const charsets = [...type.matchAll(/;\s*charset\s*=\s*"?([^";\s]*)"?/gi)].map((match) => match[1]!);
  if (charsets.length > 1 || (charsets.length === 1 && !/^utf-?8$/i.test(charsets[0]!))) {
    throw new AppError("unsupported_media_type", "Send JSON in UTF-8: charset=utf-8, or no charset.");
  }
  const coding = request.headers.get("content-encoding");
  if (coding !== null && !/^[\s,]*(identity(?=[\s,]|$)[\s,]*)*$/i.test(coding)) {
    throw new AppError("unsupported_media_type", "Send the body as it is: no Content-Encoding is accepted.");
  }
}

/** The JSON body of a request: application/json only (415), at most 64 KB (413), valid UTF-8 JSON (400). */
export async function readJsonBody(request: Request): Promise<unknown> {
  assertJsonMediaType(request);
  return parseJsonBytes(await readBodyBytes(request));
}

/**
 * For a route that takes no input in its body: undefined when the body is empty (streamed bodies
 * included, which announce no length), else what `readJsonBody` reads.
 */
export async function readBodyIfAny(request: Request): Promise<unknown> {
  const bytes = await readBodyBytes(request);
  if (bytes.byteLength === 0) return undefined;
  assertJsonMediaType(request);
  return parseJsonBytes(bytes);
}

/** A body's bytes as JSON, or 400: `invalid_json`, or a key given twice in one object, named. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  let value: unknown;
  try {
    // Strict UTF-8: bytes that are not would otherwise become U+FFFD, and two bodies the same value.
    text = utf8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json");
  }
  const repeated = repeatedKeyPath(text);
  if (repeated !== null) throw AppError.invalid({ [repeated]: [GIVEN_TWICE] });
  return value;
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
