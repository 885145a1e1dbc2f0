import { describe, expect, it } from "vitest";
import { budgetSpent } from "@/lib/web/rate-limit";

const budget = { scope: "test", perMinute: 6, spent: "Checks are used up for this minute." };
const at = Date.parse("2026-12-05T17:11:48.400Z");

describe("a spent budget's message", () => {
  it("says how long to wait and until when, so a page left open still tells the truth after the wait", () => {
    const error = budgetSpent(budget, 42, at);
    expect(error.message).toBe("Checks are used up for this minute. Wait 42 s (until 17:12:30 UTC) and try again.");
    expect(error.details.retryAfterSeconds).toBe(42);
  });

  it("counts a wait of more than a minute and a half in minutes", () => {
    expect(budgetSpent(budget, 2_892, at).message).toBe(
      "Checks are used up for this minute. Wait 49 min (until 18:00:00 UTC) and try again.",
    );
  });
});
