/**
 * Opaque keyset cursors: base64url of `[list, createdAt ISO, id]` for the next (older) page, or
 * `[list, createdAt ISO, id, "newer"]` for the previous one, checked whole before any query sees
 * them. The list they page is part of them: an audit cursor is not an end-user list's.
 */
import { z } from "zod";
import { text } from "@/lib/model/text";
import { AppError } from "@/lib/platform/errors/app-error";
import { EARLIEST_ROW_TIME, LATEST_ROW_TIME } from "./row-times";

/** The lists that page with a cursor. */
export type CursorList = "end-users" | "audit";

const positionSchema = z.tuple([
  z.iso
    .datetime()
    .transform((value) => new Date(value))
    // Outside the rows' times (year 0000, say) it is not a cursor we issued.
    .refine((date) => date.getTime() >= EARLIEST_ROW_TIME && date.getTime() <= LATEST_ROW_TIME),
  // Row ids are Conductor ids (end_usr_…) or UUIDs.
  text().regex(/^[A-Za-z0-9_-]{1,200}$/),
  z.literal("newer").optional(),
]);

/** The list a cursor was issued for, then its position (checked once the list is known). */
const issuedSchema = z.tuple([z.string()], z.unknown());

/** Where a page starts: after the row (older rows, the next page), or before it with `newer` (the previous page). */
export type Position = { createdAt: Date; id: string; newer: boolean };

type Row = { createdAt: Date; id: string };

export function encodeCursor(list: CursorList, row: Row, direction: "older" | "newer" = "older"): string {
  const position = [list, row.createdAt.toISOString(), row.id, ...(direction === "newer" ? ["newer"] : [])];
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

export function decodeCursor(list: CursorList, cursor: string): Position {
  try {
    const [issuedFor, ...position] = issuedSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (issuedFor !== list) throw new Error("another list's cursor");
    const [createdAt, id, direction] = positionSchema.parse(position);
    const newer = direction === "newer";
    // Node's base64 decoder skips what is not base64 (padding, "!!!"): only our own encoding is ours.
    if (encodeCursor(list, { createdAt, id }, newer ? "newer" : "older") !== cursor) throw new Error("not as issued");
    return { createdAt, id, newer };
  } catch {
    throw AppError.invalid({ cursor: ["is not a cursor this API returned"] });
  }
}

/**
 * How rows are read from a position: past it toward older rows, newest first (a next page), or
 * toward newer ones, oldest first (a previous page, which keysetPage turns round).
 */
export function readingFrom(from: Position | null): { past: "<" | ">"; order: "asc" | "desc" } {
  return from?.newer ? { past: ">", order: "asc" } : { past: "<", order: "desc" };
}

/**
 * A page, newest first, from rows read from `position` in its direction (one more than `limit`,
 * to know whether more follow): older rows newest first, newer rows oldest first. Its cursors: the
 * next (older) page's unless this is the last, the previous (newer) one's unless this is the first.
 */
export function keysetPage<T>(
  list: CursorList,
  rows: T[],
  limit: number,
  position: Position | null,
  keyOf: (row: T) => Row,
): { data: T[]; nextCursor: string | null; prevCursor: string | null } {
  const more = rows.length > limit;
  const data = position?.newer ? rows.slice(0, limit).reverse() : rows.slice(0, limit);
  const [first, last] = [data.at(0), data.at(-1)];
  // Read forward, rows before this page exist when it started from a cursor; read backward, the
  // page it came from follows.
  const newerExist = position?.newer ? more : position !== null;
  const olderExist = position?.newer ? true : more;
  return {
    data,
    nextCursor: olderExist && last ? encodeCursor(list, keyOf(last)) : null,
    prevCursor: newerExist && first ? encodeCursor(list, keyOf(first), "newer") : null,
  };
}
