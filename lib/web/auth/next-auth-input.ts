/**
 * Client input next-auth trusts too far, made safe before it runs: it answers 500 to a
 * callback-URL cookie that is not an http URL, and writes the `error` parameter into a Location
 * header as it came (a character past Latin-1 there fails the response).
 */
import "server-only";
import { cookies } from "next/headers";
import { NextRequest } from "next/server";
import { sameOriginUrl } from "@/lib/web/http/same-origin";

const CALLBACK_COOKIE = /(^|-)next-auth\.callback-url$/;

/** Rewrites each callback-URL cookie to the target we would go to (next-auth reads the request's cookie store). */
export async function safeCallbackCookies(origin: string): Promise<void> {
  const jar = await cookies();
  for (const { name, value } of jar.getAll()) {
    if (!CALLBACK_COOKIE.test(name)) continue;
    const safe = sameOriginUrl(value, origin).href;
    if (safe !== value)
      jar.set(name, safe, { httpOnly: true, sameSite: "lax", path: "/", secure: name.startsWith("__Secure-") });
  }
}

/** The request with an `error` parameter outside printable ASCII replaced by next-auth's own "Default". */
export function withPrintableError(request: NextRequest): NextRequest {
  // Every value counts: next-auth reads the last of a repeated parameter.
  if (request.nextUrl.searchParams.getAll("error").every((error) => /^[\x20-\x7e]*$/.test(error))) return request;
  const url = request.nextUrl.clone();
  url.searchParams.set("error", "Default");
  // A streamed body needs `duplex`, which the DOM's RequestInit type does not know yet.
  const init = { method: request.method, headers: request.headers, body: request.body, duplex: "half" };
  return new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]);
}
