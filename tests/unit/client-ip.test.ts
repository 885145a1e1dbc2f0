import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/web/http/authenticate";

const ip = (headers: Record<string, string>) => clientIp(new Headers(headers));

describe("the client address a rate limit counts", () => {
  it("is X-Real-IP, or else the last X-Forwarded-For entry (the one a proxy that appends added), when it is an IP address", () => {
    expect(ip({ "x-real-ip": "203.0.113.7", "x-forwarded-for": "198.51.100.1" })).toBe("203.0.113.7");
    expect(ip({ "x-forwarded-for": "198.51.100.1 , 2001:db8::1 " })).toBe("2001:db8::1");
    // What a client wrote before the proxy appended its address is not believed.
    expect(ip({ "x-forwarded-for": "203.0.113.99, 198.51.100.1" })).toBe("198.51.100.1");
    expect(ip({ "x-real-ip": " ", "x-forwarded-for": "198.51.100.1" })).toBe("198.51.100.1");
  });

  it("is unknown when what is reported is not an IP address, however long", () => {
    expect(ip({})).toBe("unknown");
    expect(ip({ "x-real-ip": "a".repeat(8_000) })).toBe("unknown");
    expect(ip({ "x-forwarded-for": "198.51.100.1, not-an-address" })).toBe("unknown");
    expect(ip({ "x-real-ip": "203.0.113.7:8080" })).toBe("unknown");
  });
});
