import { describe, expect, it } from "vitest";
import { describeAge, describeLifetime, formatTimestamp } from "@/lib/platform/format";

describe("age and time display", () => {
  const now = Date.parse("2026-06-01T12:00:00Z");
  it.each([
    [4, "just now"],
    [11, "11 seconds ago"],
    [59, "59 seconds ago"],
    [60, "1 minute ago"],
    [90, "2 minutes ago"],
    [3600, "1 hour ago"],
    [3 * 86400, "3 days ago"],
  ])("%i seconds reads %j", (seconds, expected) => {
    expect(describeAge(new Date(now - seconds * 1000), now)).toBe(expected);
  });

  it("shows null times as never", () => {
    expect(formatTimestamp(null)).toBe("never");
    expect(formatTimestamp(new Date("2026-06-01T12:00:00.123Z"))).toBe("2026-06-01 12:00:00 UTC");
  });
});

describe("describeLifetime", () => {
  it.each([
    [15, "15 minutes"],
    [60, "1 hour"],
    [90, "90 minutes"],
    [120, "2 hours"],
    [1440, "24 hours"],
    [1500, "25 hours"],
    [2880, "2 days"],
    [10080, "7 days"],
  ])("words a link that lives %i minutes as %s, on the onboarding page and in the email alike", (minutes, words) => {
    expect(describeLifetime(minutes * 60_000)).toBe(words);
  });
});
