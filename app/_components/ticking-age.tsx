"use client";

import { useEffect, useState } from "react";
import { describeAge } from "@/lib/platform/format";

const TICK_MS = 5_000;

/**
 * An age as the server wrote it (`ageMs` at render), kept current while the page stays open. It
 * counts on from the server's clock, so a browser whose clock is off still tells the right age.
 */
export function TickingAge({ at, ageMs }: { at: string; ageMs: number }) {
  // Time since mount, for the age the server sent last (a refresh sends a new one and starts over).
  const [since, setSince] = useState({ ageMs, ms: 0 });
  useEffect(() => {
    const mounted = performance.now();
    const timer = setInterval(() => setSince({ ageMs, ms: performance.now() - mounted }), TICK_MS);
    return () => clearInterval(timer);
  }, [ageMs]);
  const start = new Date(at).getTime();
  const age = ageMs + (since.ageMs === ageMs ? since.ms : 0);
  return <time dateTime={at}>{describeAge(new Date(start), start + age)}</time>;
}
