import { createHash } from "node:crypto";
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { env } from "@/lib/platform/env";
import { authOptions } from "@/lib/web/auth/options";
import { clientIp } from "@/lib/web/http/authenticate";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { sameOriginUrl } from "@/lib/web/http/same-origin";
import { hit } from "@/lib/web/rate-limit";

type Segment = { params: Promise<{ nextauth: string[] }> };

/**
 * Sign-in emails are limited per client IP and per address, so nobody can flood an inbox (or our
 * SMTP reputation) through this form. The answer keeps next-auth's `{url}` shape so its client
 * reports `error=RateLimited`.
 */
async function tooManySignInEmails(request: NextRequest): Promise<Response | null> {
  const form = await request
    .clone()
    .formData()
    .catch(() => null);
  const email = String(form?.get("email") ?? "")
    .trim()
    .toLowerCase();
  const addressKey = email ? [`signin:email:${createHash("sha256").update(email).digest("hex").slice(0, 16)}`] : [];
  const decision = await hit(
    [`signin:ip:${clientIp(request.headers)}`, ...addressKey],
    env.SIGNIN_RATE_LIMIT_PER_MINUTE,
  );
  if (decision.allowed) return null;
  return Response.json(
    { url: new URL("/signin/error?error=RateLimited", request.url).toString() },
    { status: 429, headers: { "Retry-After": String(decision.retryAfterSeconds) } },
  );
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

async function handler(received: NextRequest, segment: Segment) {
  const request = withSafeCallbackUrl(received);
  const action = (await segment.params).nextauth.join("/");
  if (request.method === "POST" && action === "signin/email") {
    const refused = await tooManySignInEmails(request);
    if (refused) return refused;
  }
  return NextAuth(request, segment, authOptions());
}

export { handler as GET, handler as POST };
