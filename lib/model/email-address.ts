/**
 * The one rule for an email address typed into sign-in, small enough for the browser to run
 * (a regular expression, not a schema library): next-auth's normalization (NFKC, trimmed,
 * lower-cased), zod's email pattern and RFC 5321's length. `emailSchema` is built from the same
 * pattern and length, so the form refuses exactly what the server would.
 */
import { regexes } from "zod/v4/core";

export const EMAIL_MAX_LENGTH = 254;
export const EMAIL_PATTERN = regexes.email;
/** What an address the pattern takes is written in: an accented letter is refused for that, said apart. */
export const ASCII_ONLY = /^[\x00-\x7f]*$/;

const DOMAIN_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

/**
 * What zod's pattern leaves to the mail servers, which would refuse it later: RFC 5321's 64
 * characters for the local part and RFC 1035's 63 for a domain label, which starts and ends with
 * a letter or digit. A pattern, so that the API's document states it too.
 */
export const MAIL_LIMITS = new RegExp(`^[^@]{1,64}@(?:${DOMAIN_LABEL}\\.)+${DOMAIN_LABEL}$`);

const withinMailLimits = (address: string): boolean => MAIL_LIMITS.test(address);

/** Whether `text` is exactly one email address, as stored (nothing normalized away). */
export const isEmailAddress = (text: string): boolean =>
  text.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(text) && withinMailLimits(text);

/** The address sign-in takes from what was typed, or null when it is not one. */
export function signInAddress(typed: string): string | null {
  const address = typed.normalize("NFKC").trim();
  return isEmailAddress(address) ? address.toLowerCase() : null;
}
