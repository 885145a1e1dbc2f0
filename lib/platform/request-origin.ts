/** What a browser says of where a request comes from when it sends no Origin; anything else is another site's page. */
const OWN_FETCH_SITES = new Set(["same-origin", "none"]);

/**
 * Whether a request comes from this site's own pages, as Next.js checks a server action's: the
 * Origin's host must be the first `x-forwarded-host` (or, without one, the `host`). No Origin
 * passes, as it does there (a client that is not a browser sends none), unless `Sec-Fetch-Site`
 * names another site: only a browser sends it, and it cannot be set from a page.
 */
export function sameOriginRequest(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) {
    const site = headers.get("sec-fetch-site");
    return site === null || OWN_FETCH_SITES.has(site.toLowerCase());
  }
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return false;
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  return originHost === host;
}
