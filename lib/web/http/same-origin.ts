/**
 * Where a `callbackUrl` may send someone after sign-in: the target resolved against our own origin
 * exactly as a browser resolves it (it drops tabs and line breaks and reads `\` as `/`, so
 * `/\t/evil.example` and `/\evil.example` name another host), kept only when it stays on our
 * origin; anything else becomes our home page.
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
  // `//host/x` as a path would name another host once written without our origin.
  url.pathname = url.pathname.replace(/^\/{2,}/, "/");
  return url;
}

/** The same target as a path on our origin (for a redirect or a link). */
export function sameOriginPath(target: unknown, origin: string): string {
  const url = sameOriginUrl(target, origin);
  return `${url.pathname}${url.search}${url.hash}`;
}
