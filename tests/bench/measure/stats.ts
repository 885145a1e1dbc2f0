/** Percentiles, medians and the number formats the table uses. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** The median of each numeric field over several runs of the same measurement. */
export function medianOf<T extends Record<string, number>>(runs: readonly T[]): T {
  const first = runs[0]!;
  return Object.fromEntries(Object.keys(first).map((key) => [key, median(runs.map((run) => run[key]!))])) as T;
}

export const ms = (value: number, digits = 2) => `${value.toFixed(digits)} ms`;
/** A difference with its sign: "+0.42 ms", "−0.10 ms". */
export const signedMs = (value: number) => `${value < 0 ? "−" : "+"}${ms(Math.abs(value))}`;
export const us = (valueMs: number) => `${Math.round(valueMs * 1000).toLocaleString("en-US")} µs`;
export const int = (value: number) => Math.round(value).toLocaleString("en-US");
export const ratio = (value: number) => `${value.toFixed(2)}×`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const seconds = (valueMs: number) => `${(valueMs / 1000).toFixed(2)} s`;
