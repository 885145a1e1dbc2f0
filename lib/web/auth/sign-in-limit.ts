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
import { giveBack, hit, type RateDecision } from "@/lib/web/rate-limit";

/** This client asked for too many links. */
const RATE_LIMITED_PATH = "/signin/error?error=RateLimited";
/**
 * The address was sent as many links as it may be this minute, by whoever asked: its owner is told
 * to use one of them, since anyone may ask for links to anyone's address, and a refusal alone
 * would let them keep the owner out.
 */
const ADDRESS_BUSY_PATH = "/signin/error?error=AddressBusy";

/** The mail server refused the address for good: a link to it will never arrive. */
export const ADDRESS_REFUSED_PATH = "/signin/error?error=AddressRefused";

/** The mail server went silent once it had the email: the link may still arrive, so it counts as sent. */
export const LINK_UNCONFIRMED_PATH = "/signin/error?error=LinkUnconfirmed";

export type SignInRefusal = RateDecision & { path: string };

/** next-auth options for one request from `ip`, and what the limiter decided if it refused it. */
export function withSignInLimit(options: NextAuthOptions, ip: string) {
  let refused: SignInRefusal | undefined;
  let spent: string[] = [];
  const signIn: NonNullable<NextAuthOptions["callbacks"]>["signIn"] = async (params) => {
    if (params.email?.verificationRequest && params.account) {
      const address = createHash("sha256").update(params.account.providerAccountId).digest("hex").slice(0, 16);
      const budgets = [
        { key: `signin:ip:${ip}`, path: RATE_LIMITED_PATH },
        { key: `signin:email:${address}`, path: ADDRESS_BUSY_PATH },
      ];
      for (const { key, path } of budgets) {
        const decision = await hit([key], env.SIGNIN_RATE_LIMIT_PER_MINUTE);
        if (!decision.allowed) {
          refused = { ...decision, path };
          return path;
        }
        spent.push(key);
      }
    }
    return options.callbacks?.signIn?.(params) ?? true;
  };
  return {
    options: { ...options, callbacks: { ...options.callbacks, signIn } },
    refused: () => refused,
    /** The link could not be sent: it counts against neither budget (no inbox got anything). */
    notSent: () => {
      giveBack(spent);
      spent = [];
    },
  };
}
