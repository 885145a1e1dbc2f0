-- No search reads companyName's own trigram index any more, and keeping it up cost every insert as
-- much again (a refresh of 100,000 new end-users: about 1 s more). CONCURRENTLY, alone in its
-- migration (so outside any transaction): the drop waits for no lock that would stop reads. A
-- deployment still running the code from before these migrations searches names without it,
-- more slowly, until replaced.
DROP INDEX CONCURRENTLY IF EXISTS "ConductorEndUser_companyName_idx";
