/** Opaque keyset cursors: base64url of `[createdAt ISO, id]`, checked whole before any query sees them. */
import { z } from "zod";
import { text } from "@/lib/model/text";
import { AppError } from "@/lib/platform/errors/app-error";

/** Every row's time falls in this range; anything else (year 0000, say) is not a cursor we issued. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const cursorSchema = z.tuple([
  z.iso
    .datetime()
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() >= EARLIEST && date.getTime() <= LATEST),
  // Row ids are Conductor ids (end_usr_…) or UUIDs.
  text().regex(/^[A-Za-z0-9_-]{1,200}$/),
]);

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { createdAt, id };
  } catch {
    throw AppError.invalid({ cursor: ["is not a cursor this API returned"] });
  }
}
