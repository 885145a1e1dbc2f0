/** Opaque keyset cursors: base64url of `[createdAt ISO, id]`. */
import { z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";

const cursorSchema = z.tuple([z.iso.datetime(), z.string().min(1).max(200)]);

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw AppError.invalid({ cursor: ["is not a cursor this API returned"] });
  }
}
