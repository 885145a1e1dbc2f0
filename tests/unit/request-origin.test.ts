import { describe, expect, it } from "vitest";
import { sameOriginRequest } from "@/lib/platform/request-origin";

const from = (headers: Record<string, string>) => sameOriginRequest(new Headers({ host: "app.example", ...headers }));

describe("sameOriginRequest", () => {
  it("accepts a request whose Origin is this host, and refuses another host, a sibling or an opaque origin", () => {
    expect(from({ origin: "https://app.example" })).toBe(true);
    expect(from({ origin: "https://evil.example" })).toBe(false);
    expect(from({ origin: "https://app.example.evil.example" })).toBe(false);
    expect(from({ origin: "null" })).toBe(false);
    expect(from({ origin: "not a url" })).toBe(false);
  });

  it("judges the Origin against the first forwarded host when a proxy names one", () => {
    expect(from({ origin: "https://public.example", "x-forwarded-host": "public.example, app.example" })).toBe(true);
    expect(from({ origin: "https://app.example", "x-forwarded-host": "evil.example" })).toBe(false);
  });

  it("accepts a request without Origin from a client that is not a browser (no Sec-Fetch-Site)", () => {
    expect(from({})).toBe(true);
  });

  it("refuses a request without Origin whose Sec-Fetch-Site names another site, and accepts this origin's or the user's own", () => {
    expect(from({ "sec-fetch-site": "cross-site" })).toBe(false);
    expect(from({ "sec-fetch-site": "same-site" })).toBe(false);
    expect(from({ "sec-fetch-site": "same-origin" })).toBe(true);
    expect(from({ "sec-fetch-site": "none" })).toBe(true);
  });

  it("trusts Origin over Sec-Fetch-Site when both are sent", () => {
    expect(from({ origin: "https://evil.example", "sec-fetch-site": "same-origin" })).toBe(false);
    expect(from({ origin: "https://app.example", "sec-fetch-site": "same-origin" })).toBe(true);
  });
});
