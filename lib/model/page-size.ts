import { z } from "zod";
import { text } from "./text";

const DIGITS = /^[0-9]+$/;

/**
 * A number from a query string, written in digits and given once, for `inner` to check.
 * `z.coerce.number` would take "0x10", "1e2" and " 5", and call a repeated `limit` "not a number".
 */
const fromQuery = <T extends z.ZodType>(inner: T) =>
  z.preprocess((value, context) => {
    if (value === undefined) return value;
    const problem =
      typeof value !== "string" ? "must be given once" : DIGITS.test(value) ? null : "must be a whole number";
    // However many digits: 99999 is told the maximum, and 0010 is 10.
    if (!problem) return Math.min(Number(value), Number.MAX_SAFE_INTEGER);
    context.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }, inner);

const rows = (max: number) => z.number().int().min(1, "must be at least 1").max(max, `must be at most ${max}`);

/** How many rows a page of a list holds, `fallback` when not given. */
export const pageSizeSchema = (fallback: number, max = 100) => fromQuery(rows(max).default(fallback));

/** A page size that may be left out, for a list that is otherwise not paged at all. */
export const optionalPageSizeSchema = (max = 100) => fromQuery(rows(max).optional());

/**
 * A keyset cursor from a query string, given once: what a page answered with (each list checks it
 * is one of its own). An empty one was never answered: the first page is asked for without one.
 */
export const cursorSchema = text("must be given once")
  .min(1, "must not be empty: leave it out for the first page")
  .max(500, "must be at most 500 characters");
