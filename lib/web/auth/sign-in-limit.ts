/**
 * Sign-in emails are limited per client IP and per address (each a minute, the address an hour
 * too), so nobody can flood an inbox (or our SMTP reputation) from many IPs. An address past its
 * hour's links is still sent one when none it was sent works any more: links live 15 minutes, and
 * whoever spent the hour's links at its start would otherwise keep the owner out for the rest of
 * it. They are counted in next-auth's signIn callback, which it calls only after it checked the
 * CSRF token and normalised the address: a request it refuses spends nothing, and every spelling
 * of one address (case, spaces, full-width letters, a JSON body) spends the same budget.
 */
import "server-only";
import { createHash } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import { newestLiveSignInLink } from "@/lib/data/sessions";
import { env } from "@/lib/platform/env";
import { giveBack, hit, type RateDecision } from "@/lib/web/rate-limit";
import { ADDRESS_REFUSED_ERROR, refusalPath } from "./sign-in-page";

/** This client asked for too many links. */
const RATE_LIMITED_PATH = refusalPath("RateLimited");
/**
 * The address was sent as many links as it may be this minute, by whoever asked: its owner is told
 * to use one of them, since anyone may ask for links to anyone's address, and a refusal alone
 * would let them keep the owner out.
 */
const ADDRESS_BUSY_PATH = refusalPath("AddressBusy");
/** The same, for the hour. */
const ADDRESS_BUSY_HOUR_PATH = refusalPath("AddressBusyHour");

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Not an address sign-in takes (what the sign-in form refuses beside the field): nothing was sent. */
export const ADDRESS_INVALID_PATH = refusalPath(ADDRESS_REFUSED_ERROR);

/** The mail server refused the address for good: a link to it will never arrive. */
export const ADDRESS_REFUSED_PATH = refusalPath("AddressRefused");

/** The mail server went silent once it had the email: the link may still arrive, so it counts as sent. */
export const LINK_UNCONFIRMED_PATH = refusalPath("LinkUnconfirmed");

export type SignInRefusal = RateDecision & { path: string };

/** next-auth options for one request from `ip`, and what the limiter decided if it refused it. */
export function withSignInLimit(options: NextAuthOptions, ip: string) {
  let refused: SignInRefusal | undefined;
  let spent: { key: string; windowMs: number }[] = [];
  const signIn: NonNullable<NextAuthOptions["callbacks"]>["signIn"] = async (params) => {
    if (params.email?.verificationRequest && params.account) {
      const address = createHash("sha256").update(params.account.providerAccountId).digest("hex").slice(0, 16);
      const perMinute = env.SIGNIN_RATE_LIMIT_PER_MINUTE;
      const budgets = [
        { key: `signin:ip:${ip}`, limit: perMinute, windowMs: MINUTE_MS, path: RATE_LIMITED_PATH },
        { key: `signin:email:${address}`, limit: perMinute, windowMs: MINUTE_MS, path: ADDRESS_BUSY_PATH },
        {
          key: `signin:email-hour:${address}`,
          limit: env.SIGNIN_ADDRESS_LIMIT_PER_HOUR,
          windowMs: HOUR_MS,
          path: ADDRESS_BUSY_HOUR_PATH,
        },
      ];
      for (const { key, limit, windowMs, path } of budgets) {
        const decision = await hit([key], limit, windowMs);
        if (decision.allowed) {
          spent.push({ key, windowMs });
          continue;
        }
        let { retryAfterSeconds } = decision;
        if (path === ADDRESS_BUSY_HOUR_PATH) {
          const live = await newestLiveSignInLink(params.account.providerAccountId);
          if (!live) continue;
          // The owner may ask again once the newest link stops working.
          retryAfterSeconds = Math.min(retryAfterSeconds, Math.max(1, Math.ceil((live.getTime() - Date.now()) / 1000)));
        }
        refused = { ...decision, retryAfterSeconds, path };
        return path;
      }
    }
    return options.callbacks?.signIn?.(params) ?? true;
  };
  return {
    options: { ...options, callbacks: { ...options.callbacks, signIn } },
    refused: () => refused,
    /** The link could not be sent: it counts against neither budget (no inbox got anything). */
    notSent: () => {
      for (const { key, windowMs } of spent) giveBack([key], windowMs);
      spent = [];
    },
  };
}
