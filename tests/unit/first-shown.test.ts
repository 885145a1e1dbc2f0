import { describe, expect, it } from "vitest";
import { firstShownTimes } from "@/app/_components/first-shown";

describe("firstShownTimes", () => {
  it("answers the time a key was first shown, however often it is shown again", () => {
    const firstShown = firstShownTimes(10);
    expect(firstShown("a", 100)).toBe(100);
    expect(firstShown("a", 250)).toBe(100);
    expect(firstShown("b", 300)).toBe(300);
    expect(firstShown("a", 900)).toBe(100);
  });

  it("keeps only the newest keys shown, forgetting the one shown longest ago first", () => {
    const firstShown = firstShownTimes(2);
    firstShown("a", 1);
    firstShown("b", 2);
    firstShown("a", 3); // "a" is now the newest shown; "b" the oldest
    firstShown("c", 4);
    expect(firstShown("a", 5)).toBe(1);
    expect(firstShown("b", 6)).toBe(6);
  });
});
