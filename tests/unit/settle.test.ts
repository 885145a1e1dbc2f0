import { describe, expect, it } from "vitest";
import type { UpstreamEndUser } from "@/lib/model/end-user";
import { AppError } from "@/lib/platform/errors/app-error";
import { isSettled, pickUpstream, settleMs } from "@/lib/use-cases/onboarding/settle";
import { outcomeUnknown } from "@/lib/vendors/conductor/errors";

const endUser = (id: string, sourceId: string, createdAt: string): UpstreamEndUser => ({
  id,
  sourceId,
  companyName: "Acme",
  email: "a@acme.test",
  createdAt: new Date(createdAt),
  integrationConnections: [],
});

describe("when a list is conclusive about an earlier POST", () => {
  const postStartedAt = new Date("2026-01-01T00:00:00.000Z");
  const after = (ms: number) => new Date(postStartedAt.getTime() + ms);

  it("waits minutes by default, not a multiple of the request timeout", () => {
    expect(settleMs()).toBe(300_000);
  });

  it("is not conclusive for a list requested before the window passed", () => {
    expect(isSettled({ postStartedAt }, after(settleMs() - 1))).toBe(false);
    expect(isSettled({ postStartedAt }, after(-5_000))).toBe(false);
  });

  it("is conclusive once the window passed, and when no POST is pending", () => {
    expect(isSettled({ postStartedAt }, after(settleMs()))).toBe(true);
    expect(isSettled({ postStartedAt: null }, postStartedAt)).toBe(true);
  });
});

describe("which of Conductor's end-users belongs to a sourceId", () => {
  it("takes the earliest of several sharing the sourceId, ties broken by id", () => {
    const list = [
      endUser("end_usr_c", "s1", "2026-01-02T00:00:00Z"),
      endUser("end_usr_b", "s1", "2026-01-01T00:00:00Z"),
      endUser("end_usr_a", "s1", "2026-01-01T00:00:00Z"),
      endUser("end_usr_z", "s2", "2025-01-01T00:00:00Z"),
    ];
    expect(pickUpstream(list, "s1")?.id).toBe("end_usr_a");
  });

  it("finds nothing when no end-user carries the sourceId", () => {
    expect(pickUpstream([endUser("end_usr_a", "s1", "2026-01-01T00:00:00Z")], "s9")).toBeUndefined();
  });
});

describe("whether Conductor may have acted despite an error", () => {
  const upstream = (status: number) => AppError.upstream("upstream_error", "conductor", { upstreamStatus: status });

  it.each([408, 409, 500, 502, 503])("a %i may have acted", (status) => {
    expect(outcomeUnknown(upstream(status))).toBe(true);
  });

  it("no answer at all (timeout, unreachable) may have acted", () => {
    expect(outcomeUnknown(AppError.upstream("upstream_timeout", "conductor"))).toBe(true);
    expect(outcomeUnknown(AppError.upstream("upstream_unavailable", "conductor"))).toBe(true);
  });

  it.each([400, 401, 403, 404, 422, 429])("a %i refusal did nothing", (status) => {
    expect(outcomeUnknown(upstream(status))).toBe(false);
  });
});
