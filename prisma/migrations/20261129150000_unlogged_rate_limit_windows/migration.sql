-- Rate-limit windows are counters that a database crash may reset (the limit then restarts for
-- the current window): unlogged, a reservation's commit waits for no WAL flush.
ALTER TABLE "RateLimitWindow" SET UNLOGGED;
