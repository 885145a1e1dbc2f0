/** Rate limits count requests in windows of a minute (lib/data/rate-limit.ts). */
const WINDOW_MS = 60_000;

/** Waits until at least `needMs` of the current window are left, so a burst cannot straddle two windows. */
export async function awayFromWindowEdge(needMs = 10_000): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 250));
}
