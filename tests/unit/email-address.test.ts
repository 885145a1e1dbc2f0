import { describe, expect, it } from "vitest";
import { signInAddress } from "@/lib/model/email-address";
import { emailSchema } from "@/lib/model/text";

/** An address `length` characters long within every part's limit: 60 before the @, labels of at most 63. */
const long = (length: number) => {
  const labels = [];
  let left = length - "a".repeat(60).length - "@".length - ".test".length;
  while (left > 0) {
    const size = left > 63 ? Math.min(62, left - 2) : left;
    labels.push("b".repeat(size));
    left -= size + (left > size ? 1 : 0);
  }
  return `${"a".repeat(60)}@${labels.join(".")}.test`;
};

describe("the sign-in form's email rule", () => {
  it.each([
    "ops@example.test",
    "  Ops@Example.TEST ",
    "ｏｐｓ@example.test",
    "first.last+tag@sub.example.co",
    "josé@example.com",
    "ops@exämple.com",
    "a@b.c,x@example.test",
    "a b@example.test",
    "ops@example",
    "ops@@example.test",
    ".ops@example.test",
    "ops.@example.test",
    "ops@example.test\u0000",
    "ops\u202e@example.test",
    long(254),
    long(255),
    `${"a".repeat(64)}@example.test`,
    `${"a".repeat(65)}@example.test`,
    `ops@${"b".repeat(63)}.test`,
    `ops@${"b".repeat(64)}.test`,
    "ops@b-.test",
    "ops@-b.test",
    "",
  ])("takes %j exactly when the server's schema takes it, as the same address", (typed) => {
    const server = emailSchema.safeParse(typed.normalize("NFKC").trim());
    expect(signInAddress(typed)).toBe(server.success ? server.data : null);
  });

  it("normalizes as next-auth does: NFKC, trimmed, lower-cased", () => {
    expect(signInAddress(" ＯＰＳ@Example.TEST\t")).toBe("ops@example.test");
    expect(signInAddress(long(254))).toBe(long(254));
    expect(signInAddress(long(255))).toBeNull();
    expect(signInAddress("josé@example.com")).toBeNull();
  });

  it("refuses what a mail server would: over 64 characters before the @, a domain label over 63 or edged with a hyphen", () => {
    expect(signInAddress(`${"a".repeat(64)}@example.test`)).toBe(`${"a".repeat(64)}@example.test`);
    expect(signInAddress(`${"a".repeat(65)}@example.test`)).toBeNull();
    expect(signInAddress(`ops@${"b".repeat(64)}.test`)).toBeNull();
    expect(signInAddress("ops@b-.test")).toBeNull();
    expect(signInAddress("ops@-b.test")).toBeNull();
    expect(emailSchema.safeParse(`${"a".repeat(65)}@example.test`).error?.issues[0]?.message).toMatch(/64 characters/);
  });

  it("says one thing of text that is no address, not also what a mail server would refuse", () => {
    expect(emailSchema.safeParse("not an email").error?.issues.map((issue) => issue.message)).toEqual([
      "must be an email address, like you@company.com",
    ]);
    expect(emailSchema.safeParse("ops@example-.test").error?.issues.map((issue) => issue.message)).toEqual([
      "must be an email address a mail server takes: at most 64 characters before the @, and each part of the domain at most 63, starting and ending with a letter or digit",
    ]);
  });

  it.each(["josé@example.test", "edg@bücher.example"])(
    "refuses %s saying which characters an address may hold",
    (address) => {
      expect(emailSchema.safeParse(address).error?.issues[0]?.message).toBe(
        "must be written with a–z, 0–9 and . _ ' + - only: letters like é or ü cannot be sent to yet",
      );
    },
  );

  it.each(["not an address", "a@b", "a..b@example.com", "ops@exa_mple.com"])(
    "refuses %s, written in those characters, as no address, not for its characters",
    (address) => {
      expect(emailSchema.safeParse(address).error?.issues[0]?.message).toBe(
        "must be an email address, like you@company.com",
      );
    },
  );
});
