import { describe, expect, it } from "vitest";
import { signInAddress } from "@/lib/model/email-address";
import { emailSchema } from "@/lib/model/text";

const long = (length: number) => `${"a".repeat(length - "@example.test".length)}@example.test`;

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
});
