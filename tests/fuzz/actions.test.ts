/**
 * Every server action of the build, fuzzed against the production build as React's client posts
 * it: hostile form fields, argument lists, encodings, action ids, sessions and Origins. Each answer
 * is below 500 and leaks no secret or stack trace, and a refused call (an error status, or an
 * error form state) wrote no row and called no provider.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import type { FuzzContext } from "../support/fuzz/requests";

const { fuzz } = h;
const built = fuzz.builtActions();
// Signing out ends the session the other surfaces use, and offboarding their end-user: those run last.
const last = ["app/end-users/[id]/actions.ts#offboardAction", "lib/web/auth/sign-out.ts#signOutAction"];
const order = Object.keys(fuzz.actionSurfaces).sort((a, b) => last.indexOf(a) - last.indexOf(b));

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

  it("every server action of the build has a fuzz surface", () => {
    expect(Object.keys(built).sort()).toEqual(Object.keys(fuzz.actionSurfaces).sort());
  });

  for (const key of order) {
    it(
      `${key} answers every call below 500, leaks nothing, and a refused call leaves no trace`,
      async () => {
        const others = Object.values(built).filter((id) => id !== built[key]);
        const requests = fuzz.actionRequests(fuzz.actionSurfaces[key]!, built[key]!, others, ctx);
        const sent = await fuzz.run(key, requests, judge);
        expect(sent).toBeGreaterThanOrEqual(fuzz.settings.runs);
      },
      fuzz.timeoutMs,
    );
  }
});
