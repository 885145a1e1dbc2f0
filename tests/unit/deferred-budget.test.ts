import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { hit } from "@/lib/web/rate-limit";
import { deferredBudget } from "@/lib/web/rate-limit/deferred";
import { storeAnswered, storeFailed } from "@/lib/web/rate-limit/outage";
import { awayFromWindowEdge } from "../support/rate-windows";

const MINUTE = 60_000;
const budget = { scope: "test", perMinute: 2 };

// With the shared store down, the limiter counts in this process, where the test can read it.
beforeEach(async () => {
  await awayFromWindowEdge(2_000);
  storeFailed(new Error("no store in unit tests"), Date.now());
});
afterEach(() => storeAnswered(Date.now()));

/** Spends one unit of `key` (false when none is left). */
const spendOne = async (key: string) => (await hit([key], budget.perMinute, MINUTE)).allowed;

/**
 * A keyed unit of a budget of two a minute, spent as the wrappers spend it, one of the two already
 * spent by another request: a unit given back too often would show as two left.
 */
async function unit() {
  const key = `test:${Math.random()}`;
  expect(await spendOne(key)).toBe(true);
  const spend = async () => {
    if (!(await spendOne(key))) throw new AppError("rate_limited");
  };
  return { key, budget, spend };
}

/** How many units are left to spend (spending them). */
const unitsLeft = async (key: string) => ((await spendOne(key)) ? 1 + ((await spendOne(key)) ? 1 : 0) : 0);

describe("a keyed budget's unit after the work failed", () => {
  it.each([
    ["an upstream failure (502)", 1, new AppError("upstream_error")],
    ["an email that could not be sent (503)", 1, new AppError("mail_unavailable")],
    [
      "an email the server did not confirm, which may arrive (503)",
      0,
      new AppError("mail_unavailable", "Unconfirmed.", { keepsBudget: true }),
    ],
    ["a timeout (504), after which the upstream may still be at the work", 0, new AppError("upstream_timeout")],
    [
      "a timeout before the request left (504)",
      1,
      new AppError("upstream_timeout", "No time was left.", { notSent: true }),
    ],
    ["an upstream that could not be reached (503)", 1, new AppError("upstream_unavailable")],
    ["an unexpected error (500)", 1, new Error("boom")],
    ["a refusal (409)", 0, new AppError("onboarding_in_progress")],
    ["a refusal (404)", 0, new AppError("end_user_not_found")],
  ])("after %s, the units left are %i, however often the failure is settled", async (_label, left, error) => {
    const spent = await unit();
    const keyed = deferredBudget(spent);
    await keyed.budget();
    keyed.settleFailure(error);
    keyed.settleFailure(error);
    expect(await unitsLeft(spent.key)).toBe(left);
  });

  it("gives nothing back when the work failed before spending it", async () => {
    const never = await unit();
    deferredBudget(never).settleFailure(new AppError("upstream_error"));
    expect(await unitsLeft(never.key)).toBe(1);
  });
});
