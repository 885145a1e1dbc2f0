import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { AppError } from "@/lib/platform/errors/app-error";
import { authOptions } from "@/lib/web/auth/options";
import { safeCallbackCookies, withPrintableError } from "@/lib/web/auth/next-auth-input";
import { RATE_LIMITED_PATH, withSignInLimit } from "@/lib/web/auth/sign-in-limit";
import { clientIp } from "@/lib/web/http/authenticate";
import { errorResponse } from "@/lib/web/http/error-response";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { sameOriginUrl } from "@/lib/web/http/same-origin";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

type Segment = { params: Promise<{ nextauth: string[] }> };

/** next-auth reads a JSON body without catching its syntax errors: refuse it here, as our API does. */
async function unreadableJson(request: NextRequest): Promise<boolean> {
  if (request.method !== "POST" || !request.headers.get("content-type")?.includes("application/json")) return false;
  try {
    JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await request.clone().arrayBuffer()));
    return false;
  } catch {
    return true;
  }
}

/**
 * next-auth answers 500 to a callbackUrl query parameter that is not an http URL (a line break, a
 * NUL, javascript:): it is given the target we would go to instead (lib/web/http/same-origin.ts).
 */
function withSafeCallbackUrl(request: NextRequest): NextRequest {
  const target = request.nextUrl.searchParams.get("callbackUrl");
  if (target === null) return request;
  const url = request.nextUrl.clone();
  url.searchParams.set("callbackUrl", sameOriginUrl(target, publicOrigin(request.headers)).href);
  // A streamed body needs `duplex`, which the DOM's RequestInit type does not know yet.
  const init = { method: request.method, headers: request.headers, body: request.body, duplex: "half" };
  return new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]);
}

/**
 * next-auth with the sign-in email limit (lib/web/auth/sign-in-limit.ts). A refused request keeps
 * next-auth's `{url}` shape, so its client reports `error=RateLimited`, with 429 and Retry-After.
 */
async function handler(received: NextRequest, segment: Segment) {
  const request = withPrintableError(withSafeCallbackUrl(received));
  try {
    // next-auth's `_log` writes whatever a caller posts to the server log; no client of ours logs.
    if ((await segment.params).nextauth[0] === "_log")
      throw new AppError("not_found", "There is no such sign-in route.");
    await safeCallbackCookies(publicOrigin(request.headers));
    if (await unreadableJson(request)) throw new AppError("invalid_json");
    const limited = withSignInLimit(authOptions(), clientIp(request.headers));
    const response = await NextAuth(request, segment, limited.options);
    // next-auth answers an action it does not have with a plain-text 400: ours is the envelope's 404.
    if (response.status === 400 && !response.headers.get("content-type")?.includes("json"))
      throw new AppError("not_found", "There is no such sign-in route.");
    const refused = limited.refused();
    if (!refused) return response;
    return Response.json(
      { url: new URL(RATE_LIMITED_PATH, request.url).toString() },
      { status: 429, headers: { "Retry-After": String(refused.retryAfterSeconds) } },
    );
  } catch (error) {
    return errorResponse(error, request);
  }
}

export { handler as GET, handler as POST };

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
