/**
 * The range every stored time lies in. A filter's bound outside it selects the same rows as the
 * range's edge, which Postgres can read where it cannot read year 0000 or 10000.
 */
export const EARLIEST_ROW_TIME = Date.UTC(1970, 0, 1);
export const LATEST_ROW_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const withinRowTimes = (date: Date): Date =>
  new Date(Math.min(Math.max(date.getTime(), EARLIEST_ROW_TIME), LATEST_ROW_TIME));
