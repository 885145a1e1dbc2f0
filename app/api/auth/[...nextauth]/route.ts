import { createHash } from "node:crypto";
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { env } from "@/lib/platform/env";
import { toAppError } from "@/lib/platform/errors/to-app-error";
import { authOptions } from "@/lib/web/auth/options";
import { clientIp } from "@/lib/web/http/authenticate";
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
 * next-auth lets a failing database (or anything else it did not expect) escape as a bare 500.
 * Its own error page answers instead, in the shape its client reads (`{url}` for a JSON post):
 * the sign-in form then says the link could not be sent and keeps its button for another try.
 */
function signInFailed(request: NextRequest, action: string, error: unknown): Response {
  const { status } = toAppError(error, `${request.method} /api/auth/${action}`);
  const url = new URL(`/signin/error?error=${status === 503 ? "Unavailable" : "Configuration"}`, request.url);
  if (request.method === "POST") return Response.json({ url: url.toString() }, { status });
  return Response.redirect(url, 303);
}

async function handler(request: NextRequest, segment: Segment) {
  const action = (await segment.params).nextauth.join("/");
  try {
    if (request.method === "POST" && action === "signin/email") {
      const refused = await tooManySignInEmails(request);
      if (refused) return refused;
    }
    return await NextAuth(request, segment, authOptions());
  } catch (error) {
    return signInFailed(request, action, error);
  }
}

export { handler as GET, handler as POST };
