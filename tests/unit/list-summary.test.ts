import { describe, expect, it } from "vitest";
import { listSummary } from "@/app/end-users/view-words";

describe("the operator list's summary line", () => {
  it("agrees in number with the count: one end-user matches, two match", () => {
    expect(listSummary({ limit: 25, q: "acme" }, 1, false)).toBe("1 end-user matches “acme”, newest first.");
    expect(listSummary({ limit: 25, q: "acme" }, 2, false)).toBe("2 end-users match “acme”, newest first.");
    expect(listSummary({ limit: 25, q: "acme", status: "connected" }, 1, false)).toBe(
      "1 end-user matches “acme” with status Connected, newest first.",
    );
    expect(listSummary({ limit: 25, status: "connected" }, 1, false)).toBe(
      "1 end-user with status Connected, newest first.",
    );
    expect(listSummary({ limit: 25 }, 1_234, false)).toBe("1,234 cached end-users, newest first.");
  });
});
