import { describe, expect, it } from "vitest";
import { h } from "../support/harness";

describe("a path under /api that no route serves", () => {
  it.each(["GET", "POST", "DELETE"])("answers %s with 404 in the error envelope, not the HTML page", async (method) => {
    const response = await h.client().fetch("/api/end-users/end_usr_x/no-such-thing", { method });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect((await response.json()).error.code).toBe("not_found");
  });
});
