import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "@/lib/data/cursor";
import { AppError } from "@/lib/platform/errors/app-error";
import { thrown } from "../support/thrown";

const cursorOf = (json: string) => Buffer.from(json).toString("base64url");

describe("keyset cursors", () => {
  it("round-trips createdAt (to the millisecond) and id, for end-users and audit events alike", () => {
    const row = { createdAt: new Date("2026-01-02T03:04:05.678Z"), id: "end_usr_abc" };
    expect(decodeCursor("end-users", encodeCursor("end-users", row))).toEqual(row);
    const event = { createdAt: new Date("1970-01-01T00:00:00.000Z"), id: "0b0e7a6c-4f5e-4d7a-9a3e-5d1f2c3b4a59" };
    expect(decodeCursor("audit", encodeCursor("audit", event))).toEqual(event);
  });

  it("refuses a cursor issued for the other list with a 400 naming the field", () => {
    const row = { createdAt: new Date("2026-01-02T03:04:05.678Z"), id: "end_usr_abc" };
    for (const [issued, asked] of [
      ["audit", "end-users"],
      ["end-users", "audit"],
    ] as const) {
      const error = thrown(() => decodeCursor(asked, encodeCursor(issued, row)));
      expect(error).toMatchObject({ status: 400, details: { fields: { cursor: expect.anything() } } });
    }
  });

  it.each([
    "",
    "not-base64!",
    cursorOf("[1,2]"),
    cursorOf('["2026-01-01T00:00:00Z","end_usr_a"]'),
    cursorOf('["end-users","2026-01-01T00:00:00Z"]'),
    cursorOf('["end-users","2026-01-01T00:00:00Z","end_usr_a","extra"]'),
    cursorOf('["end-users","2026-01-01T00:00:00Z","end_usr_\\u0000"]'),
    cursorOf('["end-users","2026-01-01T00:00:00Z","end_usr_a b"]'),
    cursorOf('["end-users","2026-01-01T00:00:00Z","end_usr_\\ufffd"]'),
    cursorOf('["end-users","2026-01-01T00:00:00Z",""]'),
    cursorOf('["end-users","0000-01-01T00:00:00Z","end_usr_a"]'),
    cursorOf('["end-users","1969-12-31T23:59:59Z","end_usr_a"]'),
    Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]).toString("base64url"),
  ])("rejects a cursor it did not issue (%j) with a 400 naming the field", (cursor) => {
    const error = thrown(() => decodeCursor("end-users", cursor));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, details: { fields: { cursor: expect.anything() } } });
  });
});
