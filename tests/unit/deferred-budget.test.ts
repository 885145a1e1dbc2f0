import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { deferredBudget } from "@/lib/web/rate-limit/deferred";

function counted() {
  const unit = { spent: 0, spend: async () => void unit.spent++, giveBack: () => void unit.spent-- };
  return unit;
}

describe("a keyed budget's unit after the work failed", () => {
  it.each([
    ["an upstream failure (502)", new AppError("upstream_error"), 0],
    ["an email that could not be sent (503)", new AppError("mail_unavailable"), 0],
    ["a timeout (504)", new AppError("upstream_timeout"), 0],
    ["an unexpected error (500)", new Error("boom"), 0],
    ["a refusal (409)", new AppError("onboarding_in_progress"), 1],
    ["a refusal (404)", new AppError("end_user_not_found"), 1],
  ])("after %s, the spent units left are %i", async (_label, error, left) => {
    const unit = counted();
    const keyed = deferredBudget(unit);
    await keyed.budget();
    keyed.settleFailure(error);
    keyed.settleFailure(error);
    expect(unit.spent).toBe(left);
  });

  it("gives nothing back when the work failed before spending it", () => {
    const unit = counted();
    deferredBudget(unit).settleFailure(new AppError("upstream_error"));
    expect(unit.spent).toBe(0);
  });
});
