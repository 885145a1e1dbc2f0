import { NextResponse, type NextRequest } from "next/server";
import { AppError } from "@/lib/platform/errors/app-error";

/**
 * A Content-Security-Policy with a fresh nonce for every page; Next.js applies the nonce to its
 * own scripts. Security only: authentication and authorization are checked by each page, route
 * and action themselves, never here. A path with malformed percent-encoding is answered 400 here,
 * in the error envelope, as Next.js would otherwise fail on it with a bare 500.
 */
export function proxy(request: NextRequest) {
  if (!decodable(request.nextUrl.pathname)) return badPath();
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

function badPath(): Response {
  const error = AppError.invalid({ path: ["is not valid percent-encoded UTF-8"] }, "The request path is malformed.");
  return Response.json(error.toBody(), { status: 400 });
}

export const config = {
  matcher: [
    // Any path holding a percent-escape (a prefetch too), for the check above; API paths only
    // then, so the hot paths never run the proxy.
    "/:path(.*%.*)",
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
