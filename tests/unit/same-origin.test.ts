import { describe, expect, it } from "vitest";
import { sameOriginPath, sameOriginUrl } from "@/lib/web/http/same-origin";

const ORIGIN = "https://app.example";

describe("callbackUrl targets", () => {
  it.each([
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "\r\n//evil.example",
    " //evil.example",
    "https://evil.example",
    "https://app.example.evil.example/",
    "https://app.example@evil.example/",
    "http://app.example/",
    "javascript:alert(1)",
    "data:text/html,x",
    "http://[",
    undefined,
    ["/a", "/b"],
  ])("sends %j to our home page", (target) => {
    expect(sameOriginUrl(target, ORIGIN).href).toBe(`${ORIGIN}/`);
    expect(sameOriginPath(target, ORIGIN)).toBe("/");
  });

  it.each([
    ["/onboarding", "/onboarding"],
    ["/end-users?q=a#b", "/end-users?q=a#b"],
    ["https://app.example/audit?x=1", "/audit?x=1"],
    ["/%09/evil.example/x", "/%09/evil.example/x"],
    ["/x\u0000y", "/x%00y"],
    ["https://app.example//evil.example/x", "/evil.example/x"],
    ["onboarding", "/onboarding"],
  ])("keeps %j on our origin as %j", (target, path) => {
    expect(sameOriginPath(target, ORIGIN)).toBe(path);
    expect(sameOriginUrl(target, ORIGIN).origin).toBe(ORIGIN);
  });
});
