import { describe, expect, it } from "vitest";
import { emailSchema, text } from "@/lib/model/text";
import { companyNameSchema, sourceIdSchema } from "@/lib/use-cases/onboarding/input";

describe("the shared text schema", () => {
  it.each([
    ["NUL", "a\u0000b"],
    ["a bell", "a\u0007"],
    ["a line break", "a\nb"],
    ["DEL", "a\u007f"],
    ["a C1 control", "a\u0085"],
    ["a lone high surrogate", "a\ud800b"],
    ["a lone high surrogate at the end", "a\udbff"],
    ["a lone low surrogate", "\udc00a"],
    ["two high surrogates", "\ud800\ud800\udc00"],
    ["U+FFFD", "a\ufffdb"],
    ["the noncharacter U+FFFE", "Acme\ufffe"],
    ["the noncharacter U+FDD0", "Acme\ufdd0"],
    ["the noncharacter U+10FFFF", "Acme\u{10ffff}"],
  ])("refuses %s", (_name, value) => {
    expect(text().safeParse(value).success).toBe(false);
  });

  it.each(["Acme Inc.", "Société Générale", "株式会社", "emoji 🎉 pair", "a\u00a0b", ""])("accepts %j", (value) => {
    expect(text().safeParse(value)).toEqual({ success: true, data: value });
  });

  it("names what it refuses once, and a non-string with the caller's message", () => {
    expect(
      text()
        .safeParse("a\u0000\ud800")
        .error?.issues.map((issue) => issue.message),
    ).toEqual(["must not contain control characters (tabs, line breaks…)"]);
    expect(text("must be given once").safeParse(["a", "b"]).error?.issues[0]?.message).toBe("must be given once");
    expect(text().safeParse(undefined).error?.issues[0]?.message).toBe("is required");
    expect(text().safeParse(null).error?.issues[0]?.message).toBe("must be text");
  });

  it("is what company names, sourceIds and emails are built on", () => {
    for (const schema of [companyNameSchema, sourceIdSchema, emailSchema]) {
      expect(schema.safeParse("ab\u0000@example.test").success).toBe(false);
      expect(schema.safeParse("ab\ud800@example.test").success).toBe(false);
      expect(schema.safeParse("ab\ufffd@example.test").success).toBe(false);
    }
    expect(emailSchema.parse("Ops@Example.TEST")).toBe("ops@example.test");
  });
});
