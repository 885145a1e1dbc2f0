/**
 * Client input next-auth trusts too far, made safe before it runs: a callback URL (cookie or
 * parameter) that is not an http URL, which next-auth answers with a 500; an `error` parameter past
 * printable ASCII, which it writes into a Location header as it came (failing the response); and
 * a sign-in link without its email, which it queries the database with anyway.
 */
import "server-only";
import { cookies } from "next/headers";
import { NextRequest } from "next/server";
import { publicOrigin } from "@/lib/web/http/public-origin";
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

/** The same request with `url` as its address (a streamed body needs `duplex`, which the DOM's RequestInit type does not know yet). */
function readdressed(request: NextRequest, url: URL): NextRequest {
  const init = { method: request.method, headers: request.headers, body: request.body, duplex: "half" };
  return new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]);
}

/**
 * next-auth answers 500 to a callbackUrl query parameter that is not an http URL (a line break, a
 * NUL, javascript:): it is given the target we would go to instead (lib/web/http/same-origin.ts).
 */
export function withSafeCallbackUrl(request: NextRequest): NextRequest {
  const target = request.nextUrl.searchParams.get("callbackUrl");
  if (target === null) return request;
  const url = request.nextUrl.clone();
  url.searchParams.set("callbackUrl", sameOriginUrl(target, publicOrigin(request.headers)).href);
  return readdressed(request, url);
}

/**
 * A sign-in link without its `token`, or without its `email` (or with one holding a NUL), is a link
 * we never sent. Without a token next-auth reports a configuration error; without an email it
 * would hand the adapter no identifier, or one Postgres cannot compare, and the query then fails
 * (logged as an error, answered `Callback`). An empty email names no token, so next-auth answers
 * it as any unknown link: `Verification`.
 */
export function withLinkParameters(request: NextRequest, action: string[]): NextRequest {
  if (action.join("/") !== "callback/email") return request;
  const params = request.nextUrl.searchParams;
  // Every value counts: next-auth reads the last of a repeated parameter.
  const tokens = params.getAll("token");
  const emails = params.getAll("email");
  const tokenGiven = tokens.length > 0 && tokens.every((token) => token !== "");
  const emailGiven = emails.length > 0 && emails.every((email) => !email.includes("\u0000"));
  if (tokenGiven && emailGiven) return request;
  const url = request.nextUrl.clone();
  // Without a token, next-auth takes the link for a configuration error of ours: it is an unknown link too.
  if (!tokenGiven) url.searchParams.set("token", "missing");
  if (!emailGiven) url.searchParams.set("email", "");
  return readdressed(request, url);
}

/** The request with an `error` parameter outside printable ASCII replaced by next-auth's own "Default". */
export function withPrintableError(request: NextRequest): NextRequest {
  // Every value counts: next-auth reads the last of a repeated parameter.
  if (request.nextUrl.searchParams.getAll("error").every((error) => /^[\x20-\x7e]*$/.test(error))) return request;
  const url = request.nextUrl.clone();
  url.searchParams.set("error", "Default");
  return readdressed(request, url);
}
