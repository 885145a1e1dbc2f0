import { z } from "zod";

const DIGITS = /^[0-9]+$/;

/**
 * A number from a query string, written in digits and given once, for `inner` to check.
 * `z.coerce.number` would take "0x10", "1e2" and " 5", and call a repeated `limit` "not a number".
 */
export const queryNumber = <T extends z.ZodType>(inner: T) =>
  z.preprocess((value, context) => {
    if (value === undefined) return value;
    const problem =
      typeof value !== "string" ? "must be given once" : DIGITS.test(value) ? null : "must be a whole number";
    // However many digits: 99999 is told the maximum, and 0010 is 10.
    if (!problem) return Math.min(Number(value), Number.MAX_SAFE_INTEGER);
    context.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }, inner);
