/**
 * next-auth's route (/api/auth/*) with this site's rules around it: bounded bodies, safe callbacks,
 * the sign-in email limit, the confirmation step before a link signs anyone in.
 */
import "server-only";
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { AppError } from "@/lib/platform/errors/app-error";
import { authOptions } from "./options";
import { safeCallbackCookies, withLinkParameters, withPrintableError, withSafeCallbackUrl } from "./next-auth-input";
import { confirmFirst } from "./magic-link-confirmation";
import { sendFailure } from "./magic-link";
import { ADDRESS_INVALID_PATH, ADDRESS_REFUSED_PATH, LINK_UNCONFIRMED_PATH, withSignInLimit } from "./sign-in-limit";
import { signInAddress } from "@/lib/model/email-address";
import { clientIp } from "@/lib/web/http/authenticate";
import { errorResponse } from "@/lib/web/http/error-response";
import { parseJsonBytes, readBodyBytes } from "@/lib/web/http/json-body";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { methodRefusal } from "@/lib/web/http/method-not-allowed";

export type Segment = { params: Promise<{ nextauth: string[] }> };

/**
 * A sign-in post is a few fields: next-auth would read any size whole, so the body is read here,
 * at most 64 KB (413), and handed over as bytes. next-auth also reads a JSON body without catching
 * its syntax errors: that is refused here, as our API does.
 */
async function withBoundedBody(request: NextRequest): Promise<NextRequest> {
  if (request.method !== "POST") return request;
  const bytes = await readBodyBytes(request);
  if (request.headers.get("content-type")?.includes("application/json")) parseJsonBytes(bytes);
  return new NextRequest(request.nextUrl, { method: "POST", headers: request.headers, body: bytes });
}

/** The address a sign-in post names, as sign-in takes it; null when it is not one (or there is none). */
async function postedAddress(request: Request): Promise<string | null> {
  const json = request.headers.get("content-type")?.includes("application/json");
  const typed = json
    ? ((await request.json().catch(() => null)) as { email?: unknown } | null)?.email
    : (await request.formData().catch(() => null))?.get("email");
  return typeof typed === "string" ? signInAddress(typed) : null;
}

/** Whether next-auth answered that the sign-in email could not be sent (as a redirect, or as `{url}`). */
async function linkNotSent(response: Response): Promise<boolean> {
  const failed = (url: unknown) => typeof url === "string" && url.includes("error=EmailSignin");
  if (failed(response.headers.get("location"))) return true;
  if (!response.headers.get("content-type")?.includes("json")) return false;
  return failed(
    (
      (await response
        .clone()
        .json()
        .catch(() => null)) as { url?: unknown } | null
    )?.url,
  );
}

/** next-auth's answer sent to `url` instead, in the same form (a redirect, or `{url}` for its client) and cookies. */
function answerWith(response: Response, url: URL): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  if (!headers.has("location")) return Response.json({ url: url.toString() }, { headers });
  headers.set("location", url.toString());
  return new Response(null, { status: response.status, headers });
}

/**
 * next-auth with the sign-in email limit (lib/web/auth/sign-in-limit.ts). A refused request keeps
 * next-auth's `{url}` shape, so its client reports `error=RateLimited` (this client asked too often) or
 * `error=AddressBusy` (the address was sent enough links for now), with 429 and Retry-After.
 */
export async function nextAuthRoute(received: NextRequest, segment: Segment): Promise<Response> {
  const action = (await segment.params).nextauth;
  const request = withLinkParameters(withPrintableError(withSafeCallbackUrl(received)), action);
  try {
    // next-auth's `_log` writes whatever a caller posts to the server log; no client of ours logs.
    if (action[0] === "_log") throw new AppError("not_found", "There is no such sign-in route.");
    // next-auth also takes the callback as a POST, from any site's form: the link is followed by GET.
    if (action[0] === "callback" && request.method !== "GET") return methodRefusal(request, ["GET"]);
    // next-auth's own sign-out page: this site signs out from its header's button, which posts.
    if (action[0] === "signout" && request.method !== "POST") return methodRefusal(request, ["POST"]);
    const origin = publicOrigin(request.headers);
    const confirm = request.method === "GET" ? confirmFirst(request.nextUrl, request.headers, origin) : null;
    if (confirm) return Response.redirect(confirm, 303);
    await safeCallbackCookies(origin);
    const bounded = await withBoundedBody(request);
    const limited = withSignInLimit(authOptions(), clientIp(request.headers));
    // A copy of the post, read only if next-auth reports that the link could not be sent.
    const posted = action.join("/") === "signin/email" ? bounded.clone() : null;
    const response = await NextAuth(bounded, segment, limited.options);
    // next-auth answers an action it does not have with a plain-text 400: ours is the envelope's 404.
    if (response.status === 400 && !response.headers.get("content-type")?.includes("json"))
      throw new AppError("not_found", "There is no such sign-in route.");
    if (await linkNotSent(response)) {
      // next-auth calls an address it would not take a failure to send: it is told what is wrong.
      if (posted && !(await postedAddress(posted))) return answerWith(response, new URL(ADDRESS_INVALID_PATH, origin));
      const failure = await sendFailure();
      // Refused for good: the budgets stay spent, as each such attempt still costs the sender's reputation.
      if (failure === "refused") return answerWith(response, new URL(ADDRESS_REFUSED_PATH, origin));
      // It may arrive: the budgets stay spent, as for any link sent.
      if (failure === "unconfirmed") return answerWith(response, new URL(LINK_UNCONFIRMED_PATH, origin));
      limited.notSent();
    }
    const refused = limited.refused();
    if (!refused) return response;
    const url = new URL(refused.path, origin).toString();
    const retryAfter = { "Retry-After": String(refused.retryAfterSeconds) };
    // A form posted without `json=true` is answered with a redirect, as next-auth answers it: so is
    // its refusal, to the page that says why.
    if (response.headers.has("location"))
      return new Response(null, { status: 302, headers: { location: url, ...retryAfter } });
    return Response.json({ url }, { status: 429, headers: retryAfter });
  } catch (error) {
    return errorResponse(error, request);
  }
}
