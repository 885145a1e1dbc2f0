import { msSince } from "@/lib/platform/format";
import { TickingAge } from "./ticking-age";

/** How long ago `at` was, in words, counted from this render and on while the page stays open. */
export function Age({ at }: { at: Date }) {
  return <TickingAge at={at.toISOString()} ageMs={msSince(at)} />;
}
