import { z } from "zod";
import { GIVEN_TWICE } from "./text";

const DIGITS = /^[0-9]+$/;
/** Said of "-1" too, which is a whole number, but not one a query takes. */
const WHOLE = "must be a whole number of 0 or more, in digits";

/**
 * A number from a query string, written in digits and given once, for `inner` to check.
 * `z.coerce.number` would take "0x10", "1e2" and " 5", and call a repeated `limit` "not a number".
 * `notDigits` says what is wrong with anything else, as `inner` words its range.
 */
export const queryNumber = <T extends z.ZodType>(inner: T, notDigits = WHOLE) =>
  z.preprocess((value, context) => {
    if (value === undefined) return value;
    const problem = typeof value !== "string" ? GIVEN_TWICE : DIGITS.test(value) ? null : notDigits;
    // However many digits: 99999 is told the maximum, and 0010 is 10.
    if (!problem) return Math.min(Number(value), Number.MAX_SAFE_INTEGER);
    context.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }, inner);
