import "server-only";
import type { NextAuthOptions } from "next-auth";
import EmailProvider from "next-auth/providers/email";
import { authAdapter } from "@/lib/data/auth-adapter";
import { env } from "@/lib/platform/env";
import { signInAddress } from "@/lib/model/email-address";
import { log } from "@/lib/platform/log";
import { sameOriginUrl } from "@/lib/web/http/same-origin";
import { sendMagicLink } from "./magic-link";
import { SESSION_MAX_AGE_S, SESSION_UPDATE_AGE_S, SIGN_IN_LINK_MAX_AGE_S } from "./session-lifetime";
import { authSecret } from "@/lib/platform/auth-secret";
import { PRODUCT_NAME } from "@/lib/platform/product-name";
import { isSessionToken } from "./session-cookies";

let options: NextAuthOptions | undefined;

const NOT_AN_ADDRESS = "Invalid email address format.";

/**
 * next-auth's own rule, except that what is not an address is refused rather than cut down to one
 * (`a@b.c,x` is not a@b.c) and never reaches the database. The sign-in form runs the same rule.
 */
function normalizeIdentifier(identifier: unknown): string {
  const address = typeof identifier === "string" ? signInAddress(identifier) : null;
  if (!address) throw new Error(NOT_AN_ADDRESS);
  return address;
}

/** What next-auth reports with an error code: the error itself, or an object holding it. */
const errorOf = (metadata: unknown): Error | undefined =>
  metadata instanceof Error ? metadata : (metadata as { error?: Error } | undefined)?.error;

/** This site's own pages for next-auth's steps. */
export const SIGN_IN_PAGES = {
  signIn: "/signin",
  verifyRequest: "/signin/check-email",
  error: "/signin/error",
} as const;

/** Built on first use, so that importing this module (as `next build` does) touches nothing. */
export function authOptions(): NextAuthOptions {
  options ??= build();
  return options;
}

const build = (): NextAuthOptions => ({
  adapter: authAdapter(isSessionToken),
  secret: authSecret(),
  // Signed-in requests read sessions with these rules themselves (database-session.ts).
  session: { strategy: "database", maxAge: SESSION_MAX_AGE_S, updateAge: SESSION_UPDATE_AGE_S },
  providers: [
    EmailProvider({
      server: env.EMAIL_SERVER ?? "smtp://sandbox.invalid",
      from: env.EMAIL_FROM ?? `${PRODUCT_NAME} <no-reply@sandbox.invalid>`,
      maxAge: SIGN_IN_LINK_MAX_AGE_S,
      sendVerificationRequest: sendMagicLink,
      normalizeIdentifier,
    }),
  ],
  pages: SIGN_IN_PAGES,
  callbacks: {
    redirect: ({ url, baseUrl }) => sameOriginUrl(url, baseUrl).href,
    session({ session, user }) {
      return { ...session, user: { id: user.id, email: user.email, name: user.name ?? null } };
    },
  },
  logger: {
    error: (code, metadata) => {
      const message = errorOf(metadata)?.message;
      // Anyone can type a wrong address: the sign-in page says so, and it is no error of ours.
      if (code === "SIGNIN_EMAIL_ERROR" && message === NOT_AN_ADDRESS) return log.info("auth.address_refused", {});
      log.error("auth.error", { code, message });
    },
    warn: (code) => log.warn("auth.warn", { code }),
    debug: () => {},
  },
});
