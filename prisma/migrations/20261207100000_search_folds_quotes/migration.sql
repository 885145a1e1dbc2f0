-- Typographic apostrophes and quotation marks fold to the typewriter ones: a name typed on a Mac,
-- or pasted from a document, holds ’ where a search typed elsewhere has ' ("O'Brien" must find
-- "O’Brien", and the other way round). The same fold serves names and search text alike. The
-- marks that the decomposition would turn into something else (´ into a space and an accent, ″
-- into two primes) are folded before it, the rest after it (′ is what ″ decomposes into).
CREATE OR REPLACE FUNCTION "search_fold"(text) RETURNS text LANGUAGE sql STABLE STRICT PARALLEL SAFE AS
$$ SELECT translate(
     regexp_replace(
       normalize(translate($1, E'\u00B4\u0060\u02BB\u2033', $q$'''"$q$), NFKD),
       E'[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]', '', 'g'),
     E'\u2018\u2019\u201A\u201B\u02BC\u2032\u201C\u201D\u201E\u201F',
     $q$''''''""""$q$) $$;

-- The cached names the new fold changes, folded again by the trigger (row locks on those rows only:
-- writes to them wait, reads go on).
UPDATE "ConductorEndUser" SET "searchName" = NULL
WHERE "companyName" ~ E'[\u00B4\u0060\u02BB\u2033\u2018\u2019\u201A\u201B\u02BC\u2032\u201C\u201D\u201E\u201F]';
