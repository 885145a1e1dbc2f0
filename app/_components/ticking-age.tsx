"use client";

import { useEffect, useState } from "react";
import { describeAge } from "@/lib/platform/format";
import { firstShownTimes } from "./first-shown";

const TICK_MS = 5_000;

/**
 * When each age the server sent was first shown in this tab: a page shown again from the router's
 * cache (back and forward) counts on from then, not from "just now" once more.
 */
const firstShown = firstShownTimes(2_000);

/**
 * An age as the server wrote it (`ageMs` at render), kept current while the page stays open. It
 * counts on from the server's clock, so a browser whose clock is off still tells the right age.
 */
export function TickingAge({ at, ageMs }: { at: string; ageMs: number }) {
  // Time since first shown, for the age the server sent last (a refresh sends a new one and starts over).
  const [since, setSince] = useState({ ageMs, ms: 0 });
  useEffect(() => {
    const shown = firstShown(`${at} ${ageMs}`, performance.now());
    const tick = () => setSince({ ageMs, ms: performance.now() - shown });
    const soon = setTimeout(tick, 0);
    const timer = setInterval(tick, TICK_MS);
    return () => {
      clearTimeout(soon);
      clearInterval(timer);
    };
  }, [at, ageMs]);
  const start = new Date(at).getTime();
  const age = ageMs + (since.ageMs === ageMs ? since.ms : 0);
  return <time dateTime={at}>{describeAge(new Date(start), start + age)}</time>;
}
