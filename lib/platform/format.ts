/**
 * How long ago something happened, in words ("just now", "11 seconds ago", "5 minutes ago", "3
 * days ago"). Seconds are counted from 5 on: a cached copy is called stale after as few as 10.
 */
export function describeAge(date: Date, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 5) return "just now";
  const units: [number, string][] = [
    [1, "second"],
    [60, "minute"],
    [3600, "hour"],
    [86400, "day"],
  ];
  let [size, name] = units[0]!;
  for (const unit of units) if (seconds >= unit[0]) [size, name] = unit;
  const count = Math.max(1, Math.round(seconds / size));
  return `${count} ${name}${count === 1 ? "" : "s"} ago`;
}

/** Milliseconds from `date` to now (by this server's clock). */
export function msSince(date: Date, now = Date.now()): number {
  return now - date.getTime();
}

/** How long a link lives, in words ("15 minutes", "1 hour", "24 hours", "7 days"), to the nearest minute. */
export function describeLifetime(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const [count, unit] =
    minutes % 1440 === 0 && minutes >= 2880
      ? [minutes / 1440, "day"]
      : minutes % 60 === 0
        ? [minutes / 60, "hour"]
        : [minutes, "minute"];
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

export function isoOrNull(date: Date | null): string | null {
  return date?.toISOString() ?? null;
}

export function formatTimestamp(date: Date | null): string {
  return date ? `${date.toISOString().replace("T", " ").slice(0, 19)} UTC` : "never";
}
