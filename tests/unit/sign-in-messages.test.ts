import { describe, expect, it } from "vitest";
import { LIMIT_MESSAGES, limitMessage } from "@/app/_components/sign-in-limit-messages";

describe("the sign-in form's message for next-auth's error code", () => {
  it("names each refusal the server answers with, an unconfirmed email among them", () => {
    expect(limitMessage("RateLimited")).toBe(LIMIT_MESSAGES.RateLimited);
    // Counted per network address: people sharing an office connection share it.
    expect(limitMessage("RateLimited")).toContain("from this network");
    expect(limitMessage("AddressRefused")).toContain("refused to deliver");
    expect(limitMessage("LinkUnconfirmed")).toContain("cannot tell whether it will arrive");
  });

  it("has none for next-auth's own codes, Object's own names or no code, which fall back to 'try again'", () => {
    for (const code of ["EmailSignin", "toString", "__proto__", "constructor", "", null, undefined])
      expect(limitMessage(code)).toBeNull();
  });
});
