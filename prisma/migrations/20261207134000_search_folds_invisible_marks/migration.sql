-- Marks that draw nothing are left out of the fold: soft hyphens, zero-width spaces, word joiners,
-- mathematics' invisible operators and byte-order marks. A search's text is tidied of them before
-- it is folded, so a name holding one (synced from Conductor, or stored before names were tidied of
-- it) is found by the name it shows, and by the same name pasted with the mark in it.
CREATE OR REPLACE FUNCTION "search_fold"(text) RETURNS text LANGUAGE sql STABLE STRICT PARALLEL SAFE AS
$$ SELECT translate(
     regexp_replace(
       normalize(translate(translate($1, E'\u00AD\u200B\u2060\u2061\u2062\u2063\u2064\uFEFF', ''),
                           E'\u00B4\u0060\u02BB\u2033', $q$'''"$q$), NFKD),
       E'[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]', '', 'g'),
     E'\u2018\u2019\u201A\u201B\u02BC\u2032\u201C\u201D\u201E\u201F',
     $q$''''''""""$q$) $$;

-- The cached names the new fold changes, folded again by the trigger (row locks on those rows only).
UPDATE "ConductorEndUser" SET "searchName" = NULL
WHERE "companyName" ~ E'[\u00AD\u200B\u2060\u2061\u2062\u2063\u2064\uFEFF]';
