-- A company name as search compares it: its compatibility decomposition (NFKD: full-width letters,
-- ligatures and the like as their plain letters) without combining marks (accents), so that "cafe"
-- finds "Café" and "ABC" finds "ＡＢＣ". Case is left to ILIKE. lib/data/end-user-search.ts folds
-- search text the same way (searchFold), and a test holds the two to the same answers.
CREATE FUNCTION "search_fold"(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT regexp_replace(normalize($1, NFKD), E'[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]', '', 'g') $$;

-- AlterTable
ALTER TABLE "ConductorEndUser" ADD COLUMN "searchName" TEXT GENERATED ALWAYS AS ("search_fold"("companyName")) STORED;

-- The name's trigram index now covers the folded name, which every name search reads.
DROP INDEX "ConductorEndUser_companyName_idx";

-- CreateIndex
CREATE INDEX "ConductorEndUser_searchName_idx" ON "ConductorEndUser" USING GIN ("searchName" gin_trgm_ops);
