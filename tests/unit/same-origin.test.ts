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

describe("callbackUrl targets that are no page (API routes)", () => {
  it.each([
    "/api/auth/callback/email?callbackUrl=%2Fonboarding&token=abc&email=attacker%40example.com",
    "https://app.example/api/auth/callback/email?token=abc",
    "/api",
    "/api/",
    "/API/auth/callback/email",
    "/%61pi/auth/callback/email",
    "/api%2Fauth%2Fcallback%2Femail",
    "/%2Fapi/auth/callback/email",
    "/./api/auth/signout",
    "/onboarding/../api/end-users",
    "https://app.example//api/auth/callback/email",
  ])("sends %j to our home page: a sign-in never lands on an API route", (target) => {
    expect(sameOriginUrl(target, ORIGIN).href).toBe(`${ORIGIN}/`);
    expect(sameOriginPath(target, ORIGIN)).toBe("/");
  });

  it.each(["/apiary", "/onboarding/api", "/end-users?q=/api/x"])("keeps the page %j", (target) => {
    expect(sameOriginPath(target, ORIGIN)).toBe(target);
  });
});

describe("callbackUrl targets with malformed percent-escapes", () => {
  it.each(["/%5Cevil%%", "/a%E", "/x?y=%zz%"])("%s becomes the home page", (target) => {
    expect(sameOriginUrl(target, ORIGIN).href).toBe(`${ORIGIN}/`);
  });
});
