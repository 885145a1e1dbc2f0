import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "@/lib/use-cases/audit/csv";

describe("CSV cells", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\r\nlines", '"two\r\nlines"'],
    ["line\nfeed", '"line\nfeed"'],
    [" padded ", '" padded "'],
    ["=1+1", "'=1+1"],
    ["+33 1 23", "'+33 1 23"],
    ["-2", "'-2"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tcmd", "'\tcmd"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["a=b", "a=b"],
    ["end_usr_1", "end_usr_1"],
  ])("%j is written as %j", (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it("writes null and undefined as empty cells, and ends each row with CRLF", () => {
    expect(csvRow(["a", null, undefined, "b,c"])).toBe('a,,,"b,c"\r\n');
  });
});
