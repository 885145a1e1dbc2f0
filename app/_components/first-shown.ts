/**
 * Remembers when each key was first shown, keeping only the newest `limit` keys: a page left open
 * for days, refreshed every few seconds, must not grow without end.
 */
export function firstShownTimes(limit: number) {
  const times = new Map<string, number>();
  return (key: string, now: number): number => {
    const shown = times.get(key) ?? now;
    // Re-inserted, so the map's order is the order keys were last asked for and the oldest goes first.
    times.delete(key);
    times.set(key, shown);
    if (times.size > limit) times.delete(times.keys().next().value as string);
    return shown;
  };
}
