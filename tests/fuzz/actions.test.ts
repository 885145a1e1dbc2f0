/**
 * Every server action of the build, fuzzed against the production build as React's client posts
 * it: hostile form fields, argument lists, encodings, action ids, sessions and Origins. Each answer
 * is below 500 and leaks no secret or stack trace, and a refused call (an error status, or an
 * error form state) wrote no row and called no provider beyond what opening its page does (a call
 * posted without JavaScript is answered with that page).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import type { FuzzContext } from "../support/fuzz/requests";

const { fuzz } = h;
const built = fuzz.builtActions();

const judge = fuzz.judge((_request, answer) => {
  const state = fuzz.findFormState(answer.body);
  const refusedStatus = answer.status >= 400 && answer.status < 500;
  // A refusal that reports what a provider answered (its code says so, or it cites Conductor's request) asked it.
  const refusedState =
    state?.status === "error" && !fuzz.UPSTREAM_ANSWER_CODES.has(state.code ?? "") && !state.conductorRequestId;
  return { problems: [], refusal: refusedStatus || refusedState };
});

describe("server actions under hostile input", () => {
  let ctx: FuzzContext;
  let stop = async () => {};

  beforeAll(async () => {
    fuzz.announce("server actions");
    ({ ctx, stop } = await fuzz.start("actions"));
  });
  afterAll(() => stop());

  it("every server action of the build is in one fuzz group, with a surface", () => {
    expect(Object.keys(built).sort()).toEqual(Object.keys(fuzz.actionSurfaces).sort());
    expect(Object.values(fuzz.actionGroups).flat().sort()).toEqual(Object.keys(built).sort());
  });

  for (const group of Object.keys(fuzz.actionGroups)) {
    it(
      `${group}: every answer below 500, nothing leaked, no trace of a refused call`,
      async () => {
        const perSurface = await fuzz.run(
          group,
          fuzz.actionGroupRequests(group, built, ctx),
          judge,
          fuzz.pageOpenedInstead,
        );
        expect([...perSurface.keys()].sort()).toEqual([...fuzz.actionGroups[group]!].sort());
        for (const [surface, cases] of perSurface) expect(cases, surface).toBeGreaterThanOrEqual(fuzz.settings.runs);
      },
      fuzz.timeoutMs,
    );
  }
});
