/**
 * A sign-in link asked for by the sign-in form posted without JavaScript. next-auth's client
 * fetches a CSRF token before it posts; a plain form cannot, so the token is asked of next-auth
 * here, in the same request, and the form's own origin is checked instead (a form from another
 * site is refused, as every form post to a page is). Then next-auth's email sign-in runs as its
 * client calls it, limits and all, and the browser is sent where that client would send it.
 */
import "server-only";
import { cookies } from "next/headers";
import { NextRequest, NextResponse } from "next/server";
import { EMAIL_MAX_LENGTH, signInAddress } from "@/lib/model/email-address";
import { AppError } from "@/lib/platform/errors/app-error";
import { sameOriginRequest } from "@/lib/platform/request-origin";
import { errorResponse } from "@/lib/web/http/error-response";
import { readBodyBytes } from "@/lib/web/http/json-body";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { sameOriginPath } from "@/lib/web/http/same-origin";
import { nextAuthRoute } from "./next-auth-route";
import { SIGN_IN_PAGES } from "./options";
import {
  ADDRESS_REFUSED_ERROR,
  isFormProblem,
  REFUSED_ADDRESS_COOKIE,
  SESSION_ENDED_PARAM,
  signInHref,
} from "./sign-in-page";

const { verifyRequest, error: errorPage } = SIGN_IN_PAGES;
/** Where next-auth sends its client once the link is sent: its own page, or the one configured. */
const LINK_SENT_PATHS = new Set(["/api/auth/verify-request", verifyRequest]);

const segment = (...path: string[]) => ({ params: Promise.resolve({ nextauth: path }) });

/** The browser's headers for next-auth, without its cookies and its body's type: its address, for the limits, stays. */
function forwarded(request: Request): Headers {
  const headers = new Headers(request.headers);
  for (const name of ["cookie", "content-type", "content-length"]) headers.delete(name);
  return headers;
}

async function postedForm(request: Request): Promise<FormData> {
  const bytes = await readBodyBytes(request);
  const type = request.headers.get("content-type") ?? "";
  const form = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)
    ? await new Response(bytes, { headers: { "content-type": type } }).formData().catch(() => null)
    : null;
  if (!form) throw AppError.invalid({ form: ["is not a readable form"] }, "The form could not be read.");
  return form;
}

/** A redirect that keeps the browser on the address it used. */
const seeOther = (path: string) => new Response(null, { status: 303, headers: { Location: path } });

/**
 * Back to the sign-in form, which says why no link was sent (`error`: the address refused, or a
 * limit), with the address typed, keeping where sign-in leads and why it was asked for.
 */
async function formAgain(
  typed: string,
  { callbackUrl, ended, origin, error }: { callbackUrl: string; ended: boolean; origin: string; error: string },
): Promise<Response> {
  // Cut by code point: half an emoji cannot be encoded into a cookie.
  const kept = Array.from(typed).slice(0, EMAIL_MAX_LENGTH).join("");
  (await cookies()).set(REFUSED_ADDRESS_COOKIE, kept, {
    httpOnly: true,
    sameSite: "lax",
    secure: origin.startsWith("https:"),
    path: "/signin",
    maxAge: 60,
  });
  return seeOther(signInHref(callbackUrl, { error, ended }));
}

export async function emailLinkFromForm(request: NextRequest): Promise<Response> {
  try {
    if (!sameOriginRequest(request.headers))
      throw new AppError("forbidden", "Forms are accepted only from this site's own pages.");
    const origin = publicOrigin(request.headers);
    const form = await postedForm(request);
    // One address: a form that sends two (a forged one) names nobody, as one that sends none.
    const [sent, ...more] = form.getAll("email");
    const typed = typeof sent === "string" && more.length === 0 ? sent : "";
    const address = signInAddress(typed);
    const callbackUrl = sameOriginPath(form.get("callbackUrl"), origin);
    const back = { callbackUrl, ended: form.get(SESSION_ENDED_PARAM) === "1", origin };
    if (!address) return await formAgain(typed, { ...back, error: ADDRESS_REFUSED_ERROR });

    // next-auth reads the request's cookies from Next.js's store, where its token goes first.
    const csrf = await nextAuthRoute(
      new NextRequest(new URL("/api/auth/csrf", origin), { headers: forwarded(request) }),
      segment("csrf"),
    );
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = await cookies();
    for (const cookie of new NextResponse(null, { headers: csrf.headers }).cookies.getAll()) jar.set(cookie);
    const headers = forwarded(request);
    headers.set("content-type", "application/x-www-form-urlencoded");
    const answer = await nextAuthRoute(
      new NextRequest(new URL("/api/auth/signin/email", origin), {
        method: "POST",
        headers,
        body: new URLSearchParams({ email: address, csrfToken, callbackUrl, json: "true" }),
      }),
      segment("signin", "email"),
    );
    const { url } = ((await answer
      .clone()
      .json()
      .catch(() => null)) ?? {}) as { url?: unknown };
    // Anything but next-auth's `{url}` (the database down, say) is its own answer, in the envelope.
    if (typeof url !== "string") return answer;
    // next-auth's own answer, addressed to its configured origin: only its path and query are taken.
    const { pathname, search } = new URL(url, origin);
    if (LINK_SENT_PATHS.has(pathname)) return seeOther(`${verifyRequest}?email=${encodeURIComponent(address)}`);
    const problem = new URLSearchParams(pathname === errorPage ? search : "error=EmailSignin");
    // A limit, or the mail server refusing the address: the form says so (SignInForm), as with JavaScript.
    const error = problem.get("error");
    if (error && isFormProblem(error)) return await formAgain(typed, { ...back, error });
    // The error page's way back to the form leads where sign-in would have.
    problem.set("callbackUrl", callbackUrl);
    return seeOther(`${errorPage}?${problem}`);
  } catch (error) {
    return errorResponse(error, request);
  }
}
