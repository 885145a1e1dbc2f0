import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "@/lib/data/cursor";
import { AppError } from "@/lib/platform/errors/app-error";
import { thrown } from "../support/thrown";

describe("keyset cursors", () => {
  it("round-trips createdAt (to the millisecond) and id, for end-users and audit events alike", () => {
    const row = { createdAt: new Date("2026-01-02T03:04:05.678Z"), id: "end_usr_abc" };
    expect(decodeCursor(encodeCursor(row))).toEqual(row);
    const event = { createdAt: new Date("1970-01-01T00:00:00.000Z"), id: "0b0e7a6c-4f5e-4d7a-9a3e-5d1f2c3b4a59" };
    expect(decodeCursor(encodeCursor(event))).toEqual(event);
  });

  it.each([
    "",
    "not-base64!",
    Buffer.from("[1,2]").toString("base64url"),
    Buffer.from('["2026-01-01T00:00:00Z"]').toString("base64url"),
    Buffer.from('["2026-01-01T00:00:00Z","end_usr_\\u0000"]').toString("base64url"),
    Buffer.from('["2026-01-01T00:00:00Z","end_usr_a b"]').toString("base64url"),
    Buffer.from('["2026-01-01T00:00:00Z","end_usr_\\ufffd"]').toString("base64url"),
    Buffer.from('["2026-01-01T00:00:00Z",""]').toString("base64url"),
    Buffer.from('["0000-01-01T00:00:00Z","end_usr_a"]').toString("base64url"),
    Buffer.from('["1969-12-31T23:59:59Z","end_usr_a"]').toString("base64url"),
    Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]).toString("base64url"),
  ])("rejects a cursor it did not issue (%j) with a 400 naming the field", (cursor) => {
    const error = thrown(() => decodeCursor(cursor));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, details: { fields: { cursor: expect.anything() } } });
  });
});
