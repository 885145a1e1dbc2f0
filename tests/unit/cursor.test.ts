import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, keysetPage } from "@/lib/data/cursor";
import { AppError } from "@/lib/platform/errors/app-error";
import { thrown } from "../support/thrown";

const cursorOf = (json: string) => Buffer.from(json).toString("base64url");

describe("keyset cursors", () => {
  it("round-trips createdAt (to the millisecond) and id, for end-users and audit events alike", () => {
    const row = { createdAt: new Date("2026-01-02T03:04:05.678Z"), id: "end_usr_abc" };
    expect(decodeCursor("end-users", encodeCursor("end-users", row))).toMatchObject(row);
    const event = { createdAt: new Date("1970-01-01T00:00:00.000Z"), id: "0b0e7a6c-4f5e-4d7a-9a3e-5d1f2c3b4a59" };
    expect(decodeCursor("audit", encodeCursor("audit", event))).toMatchObject(event);
  });

  it("round-trips a previous page's cursor, which says it reads newer rows; a next page's says it does not", () => {
    const row = { createdAt: new Date("2026-01-02T03:04:05.678Z"), id: "end_usr_abc" };
    expect(decodeCursor("end-users", encodeCursor("end-users", row, "newer"))).toEqual({ ...row, newer: true });
    expect(decodeCursor("end-users", encodeCursor("end-users", row))).toEqual({ ...row, newer: false });
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
    cursorOf('["end-users","2026-01-01T00:00:00Z","end_usr_a","older"]'),
    cursorOf('["end-users","2026-01-01T00:00:00Z","end_usr_a","newer","extra"]'),
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

describe("keysetPage", () => {
  const rows = [5, 4, 3, 2, 1].map((n) => ({ createdAt: new Date(Date.UTC(2026, 0, n)), id: `end_usr_${n}` }));
  const page = (read: typeof rows, cursor: string | null) =>
    keysetPage("end-users", read, 2, cursor ? decodeCursor("end-users", cursor) : null, (row) => row);
  const ids = (p: { data: typeof rows }) => p.data.map((row) => row.id);

  it("gives the first page a next cursor and no previous one", () => {
    const first = page(rows.slice(0, 3), null);
    expect(ids(first)).toEqual(["end_usr_5", "end_usr_4"]);
    expect(first.prevCursor).toBeNull();
    expect(decodeCursor("end-users", first.nextCursor!)).toEqual({ ...rows[1], newer: false });
  });

  it("gives a page read forward from a cursor a previous cursor at its first row, and no next one at the end", () => {
    const last = page(rows.slice(4), encodeCursor("end-users", rows[3]!));
    expect(ids(last)).toEqual(["end_usr_1"]);
    expect(last.nextCursor).toBeNull();
    expect(decodeCursor("end-users", last.prevCursor!)).toEqual({ ...rows[4], newer: true });
  });

  it("turns a page read backward (oldest first) round, with a previous cursor only while newer rows remain", () => {
    const middle = page([rows[2]!, rows[1]!, rows[0]!], encodeCursor("end-users", rows[3]!, "newer"));
    expect(ids(middle)).toEqual(["end_usr_4", "end_usr_3"]);
    expect(decodeCursor("end-users", middle.prevCursor!)).toEqual({ ...rows[1], newer: true });
    expect(decodeCursor("end-users", middle.nextCursor!)).toEqual({ ...rows[2], newer: false });
    const top = page([rows[0]!], middle.prevCursor);
    expect(ids(top)).toEqual(["end_usr_5"]);
    expect(top.prevCursor).toBeNull();
  });
});
