-- The fold leaves out every mark the app's names leave out (lib/model/shown-text.ts): besides soft
-- hyphens, zero-width spaces, word joiners, invisible math operators and byte-order marks, the
-- Mongolian vowel separator, the other format characters of U+2065–U+206F, U+FFF0–U+FFFC (among
-- them the interlinear annotation characters and the object replacement character), and the
-- shorthand and musical format controls. They are left out with one regular expression, whose cost
-- does not grow with the set as translate's does. A name in plain ASCII without a backtick is its
-- own fold (every step below changes only other characters), so it is answered as it is: most
-- names, and every refresh's trigger, skip the work.
CREATE OR REPLACE FUNCTION "search_fold"(text) RETURNS text LANGUAGE sql STABLE STRICT PARALLEL SAFE AS
$$ SELECT CASE WHEN octet_length($1) = char_length($1) AND strpos($1, '`') = 0 THEN $1 ELSE translate(
     regexp_replace(
       normalize(translate(regexp_replace($1, E'[\u00AD\u180E\u200B\u2060-\u206F\uFEFF\uFFF0-\uFFFC\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A]', '', 'g'),
                           E'\u00B4\u0060\u02BB\u2033', $q$'''"$q$), NFKD),
       E'[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]', '', 'g'),
     E'\u2018\u2019\u201A\u201B\u02BC\u2032\u201C\u201D\u201E\u201F',
     $q$''''''""""$q$) END $$;

-- The cached names the new fold changes, folded again by the trigger (row locks on those rows only).
UPDATE "ConductorEndUser" SET "searchName" = NULL
WHERE "companyName" ~ E'[\u180E\u2065-\u206F\uFFF0-\uFFFC\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A]';
