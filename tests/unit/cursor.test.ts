import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "@/lib/data/cursor";
import { AppError } from "@/lib/platform/errors/app-error";
import { thrown } from "../support/thrown";

describe("keyset cursors", () => {
  it("round-trips createdAt (to the millisecond) and id", () => {
    const row = { createdAt: new Date("2026-01-02T03:04:05.678Z"), id: "end_usr_abc" };
    expect(decodeCursor(encodeCursor(row))).toEqual(row);
  });

  it.each([
    "",
    "not-base64!",
    Buffer.from("[1,2]").toString("base64url"),
    Buffer.from('["2026-01-01T00:00:00Z"]').toString("base64url"),
  ])("rejects a cursor it did not issue (%j) with a 400 naming the field", (cursor) => {
    const error = thrown(() => decodeCursor(cursor));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, details: { fields: { cursor: expect.anything() } } });
  });
});
