import { z } from "zod";
import { queryNumber } from "./query-number";
import { queryText } from "./text";

/** One message for every page size refused (0, -1, 101, 1.5 or "ten"): the range it must be in. */
const range = (max: number) => `must be a whole number from 1 to ${max}, in digits`;
const rows = (max: number) => z.number().int().min(1, range(max)).max(max, range(max));

/** How many rows a page of a list holds, `fallback` when not given. */
export const pageSizeSchema = (fallback: number, max = 100) => queryNumber(rows(max).default(fallback), range(max));

/** A page size that may be left out, for a list that is otherwise not paged at all. */
export const optionalPageSizeSchema = (max = 100) => queryNumber(rows(max).optional(), range(max));

/**
 * A keyset cursor from a query string, given once: what a page answered with (each list checks it
 * is one of its own). An empty one was never answered: the first page is asked for without one.
 */
export const cursorSchema = queryText()
  .min(1, "must not be empty: leave it out for the first page")
  .max(500, "must be at most 500 characters");
