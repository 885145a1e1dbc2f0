/**
 * Opaque keyset cursors: base64url of `[list, createdAt ISO, id]`, checked whole before any query
 * sees them. The list they page is part of them: an audit cursor is not an end-user list's.
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
]);

/** The list a cursor was issued for, then its position (checked once the list is known). */
const issuedSchema = z.tuple([z.string()], z.unknown());

export function encodeCursor(list: CursorList, row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([list, row.createdAt.toISOString(), row.id])).toString("base64url");
}

export function decodeCursor(list: CursorList, cursor: string): { createdAt: Date; id: string } {
  try {
    const [issuedFor, ...position] = issuedSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (issuedFor !== list) throw new Error("another list's cursor");
    const [createdAt, id] = positionSchema.parse(position);
    // Node's base64 decoder skips what is not base64 (padding, "!!!"): only our own encoding is ours.
    if (encodeCursor(list, { createdAt, id }) !== cursor) throw new Error("not as issued");
    return { createdAt, id };
  } catch {
    throw AppError.invalid({ cursor: ["is not a cursor this API returned"] });
  }
}
