import { describe, expect, it } from "vitest";
import { pageSizeSchema } from "@/lib/model/page-size";

const messages = (value: unknown) =>
  pageSizeSchema(25)
    .safeParse(value)
    .error?.issues.map((issue) => issue.message);

describe("a page size from the query string", () => {
  it("takes digits from 1 to the maximum, and the default when absent", () => {
    expect(pageSizeSchema(25).parse(undefined)).toBe(25);
    expect(pageSizeSchema(25).parse("1")).toBe(1);
    expect(pageSizeSchema(25).parse("100")).toBe(100);
    expect(pageSizeSchema(25).parse("007")).toBe(7);
    expect(pageSizeSchema(25).parse("00010")).toBe(10);
  });

  it.each(["0x10", "1e1", " 5", "5 ", "+5", "-1", "1.5", "", "ten", "Infinity", "99999"])(
    "refuses %j as not a whole number written in digits, or out of range",
    (value) => {
      expect(messages(value)?.length).toBe(1);
    },
  );

  it("names each problem once, in words", () => {
    expect(messages(["1", "2"])).toEqual(["must be given once"]);
    // However it misses, it is told the one range it must be in.
    for (const value of ["0x10", "-1", "0", "101", "99999", "9".repeat(400)])
      expect(messages(value)).toEqual(["must be a whole number from 1 to 100, in digits"]);
  });
});
