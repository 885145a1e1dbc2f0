import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

export function randomId(prefix: string, length = 16): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** The path below a mount point, or null when the URL is not under it. */
export function pathBelow(url: URL, mount: string): string | null {
  if (url.pathname === mount) return "/";
  return url.pathname.startsWith(`${mount}/`) ? url.pathname.slice(mount.length) : null;
}

/** A path segment percent-decoded, or null where its escapes are not valid UTF-8. */
export function decodedSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: JSON.parse(await request.text()) };
  } catch {
    return { ok: false };
  }
}

/** The most of a request body any sandbox route takes (a larger one is refused for its size). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The body as text, or null past `limit` bytes (declared or sent), read no further. */
export async function readBoundedText(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  if (Number(request.headers.get("content-length") ?? 0) > limit) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
