import { describe, expect, it } from "vitest";
import { auditQuerySchema } from "@/lib/use-cases/audit/schemas";

const fieldsOf = (input: Record<string, unknown>) => {
  const result = auditQuerySchema.safeParse(input);
  if (result.success) throw new Error(`accepted ${JSON.stringify(input)}`);
  return result.error.issues.map((issue) => issue.path.join(".") || "(root)");
};

describe("audit trail filters", () => {
  it("turns days into whole UTC days and an instant into itself, both inclusive", () => {
    expect(auditQuerySchema.parse({ since: "2026-11-01", until: "2026-11-02" })).toMatchObject({
      since: new Date("2026-11-01T00:00:00Z"),
      before: new Date("2026-11-03T00:00:00Z"),
    });
    expect(auditQuerySchema.parse({ until: "2026-11-01T10:00:00+02:00" })).toMatchObject({
      before: new Date("2026-11-01T08:00:00.001Z"),
    });
  });

  it("takes a person's email in any case, or system, and 50 events a page by default", () => {
    expect(auditQuerySchema.parse({ actor: " Ops@Example.TEST " })).toEqual({ actor: "ops@example.test", limit: 50 });
    expect(auditQuerySchema.parse({ actor: "SYSTEM" })).toEqual({ actor: "system", limit: 50 });
  });

  it("takes a sourceId with spaces, as Conductor may hold one another app set", () => {
    expect(auditQuerySchema.parse({ sourceId: "legacy user 1" })).toEqual({ sourceId: "legacy user 1", limit: 50 });
  });

  it.each([
    [{ action: "END_USER_DELETED" }, "action"],
    [{ actor: "ops" }, "actor"],
    [{ actor: "a\u0000b@example.test" }, "actor"],
    [{ endUserId: "end_usr_!" }, "endUserId"],
    [{ sourceId: "has\ttab" }, "sourceId"],
    [{ sourceId: "" }, "sourceId"],
    [{ since: "2026-13-01" }, "since"],
    [{ since: "2026-11-01T10:00:00" }, "since"],
    [{ since: "2026-11-02", until: "2026-11-01" }, "until"],
    [{ since: "2026-11-01T10:00:00Z", until: "2026-11-01T09:59:59Z" }, "until"],
    [{ limit: "1.5" }, "limit"],
    [{ limit: "abc" }, "limit"],
    [{ action: ["END_USER_CREATED", "END_USER_CREATED"] }, "action"],
    [{ page: "2" }, "(root)"],
  ])("refuses %j, naming %s", (input, field) => {
    expect(fieldsOf(input)).toContain(field);
  });
});
