/** Opaque keyset cursors: base64url of `[createdAt ISO, id]`, checked whole before any query sees them. */
import { z } from "zod";
import { text } from "@/lib/model/text";
import { AppError } from "@/lib/platform/errors/app-error";
import { EARLIEST_ROW_TIME, LATEST_ROW_TIME } from "./row-times";

const cursorSchema = z.tuple([
  z.iso
    .datetime()
    .transform((value) => new Date(value))
    // Outside the rows' times (year 0000, say) it is not a cursor we issued.
    .refine((date) => date.getTime() >= EARLIEST_ROW_TIME && date.getTime() <= LATEST_ROW_TIME),
  // Row ids are Conductor ids (end_usr_…) or UUIDs.
  text().regex(/^[A-Za-z0-9_-]{1,200}$/),
]);

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    // Node's base64 decoder skips what is not base64 (padding, "!!!"): only our own encoding is ours.
    if (encodeCursor({ createdAt, id }) !== cursor) throw new Error("not as issued");
    return { createdAt, id };
  } catch {
    throw AppError.invalid({ cursor: ["is not a cursor this API returned"] });
  }
}
