/** `/api` and below, in any case, once unescaped and with leading slashes collapsed. */
const API_PATH = /^\/+api(\/|$)/i;

/**
 * Where a `callbackUrl` may send someone after sign-in: the target resolved against our own origin
 * exactly as a browser resolves it (it drops tabs and line breaks and reads `\` as `/`, so
 * `/\t/evil.example` and `/\evil.example` name another host), kept only when it is a page on our
 * origin; anything else becomes our home page. An API route is no page to land on, and one of them
 * would undo the sign-in: next-auth's own callback, carrying someone else's link, would sign the
 * browser in as them on the way (login CSRF).
 */
export function sameOriginUrl(target: unknown, origin: string): URL {
  const home = new URL("/", origin);
  if (typeof target !== "string") return home;
  let url: URL;
  try {
    url = new URL(target, home);
  } catch {
    return home;
  }
  if (url.origin !== home.origin) return home;
  // A malformed escape (`%%`, `%E`) survives URL parsing, then fails whoever decodes the target:
  // Next.js parsing the callback-URL cookie next-auth sets from it answers 500.
  try {
    decodeURI(url.href);
  } catch {
    return home;
  }
  // `//host/x` as a path would name another host once written without our origin.
  url.pathname = url.pathname.replace(/^\/{2,}/, "/");
  if (API_PATH.test(decodeURIComponent(url.pathname))) return home;
  return url;
}

/** The same target as a path on our origin (for a redirect or a link). */
export function sameOriginPath(target: unknown, origin: string): string {
  const url = sameOriginUrl(target, origin);
  return `${url.pathname}${url.search}${url.hash}`;
}
