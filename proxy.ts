import { NextResponse, type NextRequest } from "next/server";
import { actionRequestDefect, formPostDefect, refusedByNextJs, type ActionDefect } from "@/lib/platform/action-request";
import { AppError } from "@/lib/platform/errors/app-error";
import { sameOriginRequest } from "@/lib/platform/request-origin";
import { jsonContentSecurityPolicy } from "@/lib/platform/security-headers.mjs";

/**
 * A Content-Security-Policy with a fresh nonce for every page; Next.js applies the nonce to its
 * own scripts. Security only: authentication and authorization are checked by each page, route
 * and action themselves, never here. A path with malformed percent-encoding is answered 400 here,
 * in the error envelope, as Next.js would otherwise fail on it with a bare 500; so is a form post
 * from another origin (403), a server-action post React could not decode (400) and one larger than
 * Next.js takes (413).
 */
export async function proxy(request: NextRequest) {
  if (!decodable(request.nextUrl.pathname)) return badPath();
  const page = !request.nextUrl.pathname.startsWith("/api/");
  if (page && request.method === "POST" && !sameOriginRequest(request.headers)) return crossOriginPost();
  if (page && request.method === "POST") {
    const fetchAction = request.headers.has("next-action");
    const defect = await (fetchAction ? actionRequestDefect(request) : formPostDefect(request));
    if (defect) return badAction(defect);
    // A fetch action is answered with React data, not a document: no nonce to hand on. Its request
    // goes on as it came, sparing Next.js the rebuilt copy of every header. Not one Next.js
    // refuses itself, with its not-found page.
    if (fetchAction && !refusedByNextJs(request)) return NextResponse.next();
  }
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV === "development";
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

/** Whether every percent-escape in the path is valid UTF-8 (Next.js itself fails on one that is not). */
function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** A refusal in the error envelope, for this request alone and loading nothing. */
function refusal(error: AppError): Response {
  return Response.json(error.toBody(), {
    status: error.status,
    headers: { "Cache-Control": "no-store", "Content-Security-Policy": jsonContentSecurityPolicy },
  });
}

function crossOriginPost(): Response {
  return refusal(new AppError("forbidden", "Forms are accepted only from this site's own pages."));
}

function badAction({ status, defect }: ActionDefect): Response {
  return refusal(
    status === 413
      ? new AppError("payload_too_large", `The form ${defect}.`)
      : AppError.invalid({ action: [defect] }, "The form could not be read."),
  );
}

function badPath(): Response {
  return refusal(AppError.invalid({ path: ["is not valid percent-encoded UTF-8"] }, "The request path is malformed."));
}

export const config = {
  matcher: [
    // Any path holding a percent-escape, for the check above; API paths only then, so the hot
    // paths never run the proxy.
    "/:path(.*%.*)",
    // Every page request, prefetches included: each gets its own policy and nonce, whatever
    // headers it came with (a nonce a client sent is never used). Next.js itself serves
    // /_next/static/… and /_next/image; any other path is a page's (there is no favicon.ico file:
    // /favicon.ico is a missing page, where actions run as anywhere).
    "/((?!api/|_next/static/|_next/image$).*)",
  ],
};
