/**
 * Whether a request comes from this site's own pages, as Next.js checks a server action's: the
 * Origin's host must be the first `x-forwarded-host` (or, without one, the `host`). No Origin
 * passes, as it does there (a client that is not a browser sends none).
 */
export function sameOriginRequest(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return true;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return false;
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  return originHost === host;
}
