/** What the sign-in and start pages are told by the address they are opened at, and by the form posted without JavaScript. */

/** The query parameter by which a page tells the sign-in page that its session ended meanwhile. */
export const SESSION_ENDED_PARAM = "ended";

/** The `error` the form posted without JavaScript comes back with when the address typed is none sign-in takes. */
export const ADDRESS_REFUSED_ERROR = "InvalidAddress";

/**
 * The `error`s next-auth's email sign-in may end with that the form, posted without JavaScript,
 * comes back to say, as it does with JavaScript (a limit, the mail server refusing the address or
 * not confirming the email); any other leads to the error page.
 */
export const SIGN_IN_REFUSALS = [
  "RateLimited",
  "AddressBusy",
  "AddressBusyHour",
  "AddressRefused",
  "LinkUnconfirmed",
] as const;

export type SignInRefusal = (typeof SIGN_IN_REFUSALS)[number];

export const isFormProblem = (error: string): error is SignInRefusal =>
  (SIGN_IN_REFUSALS as readonly string[]).includes(error);

/** The error page's address for a refusal (next-auth's client reads it as the refusal's code). */
export const refusalPath = (error: SignInRefusal | typeof ADDRESS_REFUSED_ERROR) => `/signin/error?error=${error}`;

/**
 * The address typed and refused (or not sent to), for the sign-in form to show again beside its problem: in a
 * cookie only that post sets (a query parameter would let any link put its own words in the field).
 */
export const REFUSED_ADDRESS_COOKIE = "signin-refused-address";

/** The start page's query parameter after a sign-out: `here` or `everywhere`. */
export const SIGNED_OUT_PARAM = "signed-out";

/**
 * The sign-in page's address: coming back to `callbackUrl` afterwards, with what it is to say
 * (`error`, a session that `ended`). The one place that spells it.
 */
export function signInHref(callbackUrl: string, { error, ended = false }: { error?: string; ended?: boolean } = {}) {
  const said = `${error ? `&error=${encodeURIComponent(error)}` : ""}${ended ? `&${SESSION_ENDED_PARAM}=1` : ""}`;
  return `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}${said}`;
}
