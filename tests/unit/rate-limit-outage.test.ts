import { afterEach, describe, expect, it } from "vitest";
import {
  giveBackLocally,
  hitLocally,
  limitingLocally,
  mayAskStore,
  storeAnswered,
  storeFailed,
} from "@/lib/web/rate-limit/outage";

const MINUTE = 60_000;
const start = 1_800_000_000_000; // on a minute's boundary

afterEach(() => storeAnswered(Date.now()));

describe("per-instance limits while the shared store is down", () => {
  it("admit up to the limit per key within a window, refuse beyond it, and start over in the next window", () => {
    const key = `k-${Math.random()}`;
    const decisions = [0, 1, 2].map((i) => hitLocally([key], 2, MINUTE, start + i));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(decisions[2]).toMatchObject({ remaining: 0, retryAfterSeconds: 60 });
    expect(hitLocally([key], 2, MINUTE, start + MINUTE).allowed).toBe(true);
  });

  it("spend a unit of every key only when all of them have one", () => {
    const [a, b] = [`a-${Math.random()}`, `b-${Math.random()}`];
    expect(hitLocally([a], 1, MINUTE, start).allowed).toBe(true);
    expect(hitLocally([a, b], 1, MINUTE, start).allowed).toBe(false);
    expect(hitLocally([b], 1, MINUTE, start).allowed).toBe(true);
  });
});

describe("giving back a unit counted locally", () => {
  it("returns it to the current window only, never below nothing", () => {
    const key = `g-${Math.random()}`;
    expect(hitLocally([key], 1, MINUTE, start).allowed).toBe(true);
    giveBackLocally(key, MINUTE, start + 1);
    giveBackLocally(key, MINUTE, start + 2);
    expect([0, 1].map((i) => hitLocally([key], 1, MINUTE, start + 3 + i).allowed)).toEqual([true, false]);
    // A unit of a window that has ended is not carried into the next.
    giveBackLocally(key, MINUTE, start + MINUTE);
    expect([0, 1].map((i) => hitLocally([key], 1, MINUTE, start + MINUTE + i).allowed)).toEqual([true, false]);
  });
});

describe("retrying the store during an outage", () => {
  it("lets one request retry every couple of seconds, and the store's answer ends the outage", () => {
    const now = Date.now();
    expect(mayAskStore(now)).toBe(true);
    storeFailed(new Error("connect ECONNREFUSED"), now);
    expect(limitingLocally()).toBe(true);
    expect(mayAskStore(now + 100)).toBe(false);
    expect(mayAskStore(now + 2_000)).toBe(true);
    // That request is retrying: the others keep counting locally until it knows.
    expect(mayAskStore(now + 2_001)).toBe(false);
    storeAnswered(now + 2_050);
    expect(limitingLocally()).toBe(false);
    expect(mayAskStore(now + 2_060)).toBe(true);
  });
});
