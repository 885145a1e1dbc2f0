/**
 * Sign-in emails are limited per client IP and per address, so nobody can flood an inbox (or our
 * SMTP reputation). They are counted in next-auth's signIn callback, which it calls only after it
 * checked the CSRF token and normalised the address: a request it refuses spends nothing, and
 * every spelling of one address (case, spaces, full-width letters, a JSON body) spends the same
 * budget.
 */
import "server-only";
import { createHash } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import { env } from "@/lib/platform/env";
import { hit, type RateDecision } from "@/lib/web/rate-limit";

export const RATE_LIMITED_PATH = "/signin/error?error=RateLimited";

/** next-auth options for one request from `ip`, and what the limiter decided if it refused it. */
export function withSignInLimit(options: NextAuthOptions, ip: string) {
  let refused: RateDecision | undefined;
  const signIn: NonNullable<NextAuthOptions["callbacks"]>["signIn"] = async (params) => {
    if (params.email?.verificationRequest && params.account) {
      const address = createHash("sha256").update(params.account.providerAccountId).digest("hex").slice(0, 16);
      const decision = await hit([`signin:ip:${ip}`, `signin:email:${address}`], env.SIGNIN_RATE_LIMIT_PER_MINUTE);
      if (!decision.allowed) {
        refused = decision;
        return RATE_LIMITED_PATH;
      }
    }
    return options.callbacks?.signIn?.(params) ?? true;
  };
  return { options: { ...options, callbacks: { ...options.callbacks, signIn } }, refused: () => refused };
}
