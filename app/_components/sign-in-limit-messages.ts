/**
 * What a request for a sign-in link that spent its budgets says, in the sign-in form and on the
 * sign-in error page alike: too many links asked for, an address the mail server will not deliver
 * to, or an email the mail server took without confirming it.
 */
import { SIGN_IN_LINK_MAX_AGE_S } from "@/lib/web/auth/session-lifetime";
import type { ADDRESS_REFUSED_ERROR, SignInRefusal } from "@/lib/web/auth/sign-in-page";

const SIGN_IN_LINK_MINUTES = SIGN_IN_LINK_MAX_AGE_S / 60;

export const LIMIT_MESSAGES = {
  RateLimited:
    "Too many sign-in links were asked for from this network in the last minute (by you, or by others sharing your connection). Wait a minute, then try again.",
  AddressBusy: `Sign-in links were just sent to this address, as many as we send to one address in a minute. Use the newest one in that inbox (it replaced those before it, and works once, for ${SIGN_IN_LINK_MINUTES} minutes), or ask again in a minute.`,
  AddressBusyHour: `Sign-in links were sent to this address as many times as we send to one address in an hour, and the newest still works. Use the newest one in that inbox (it replaced those before it, and works once, for ${SIGN_IN_LINK_MINUTES} minutes), or ask again once it has expired.`,
  InvalidAddress:
    "That is not an email address we can send a sign-in link to, so none was sent. Check it for typos: one address, like you@company.com, without spaces or quotes. Sign-in sends only to addresses written with a–z, 0–9 and . _ ' + - (not yet to letters like é or ü).",
  AddressRefused:
    "The mail server refused to deliver to this address, so no sign-in link was sent. Check the address for typos, or use another one.",
  LinkUnconfirmed:
    "The mail server did not confirm the sign-in email in time, so we cannot tell whether it will arrive. Check your inbox, and its spam folder, in a few minutes before you ask for another link.",
} as const satisfies Record<SignInRefusal | typeof ADDRESS_REFUSED_ERROR, string>;

/** The message for next-auth's `error` code, when it is one of these. */
export const limitMessage = (code: string | null | undefined): string | null =>
  code && Object.hasOwn(LIMIT_MESSAGES, code) ? LIMIT_MESSAGES[code as keyof typeof LIMIT_MESSAGES] : null;
