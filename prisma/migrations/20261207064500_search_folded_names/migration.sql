-- A company name as search compares it: its compatibility decomposition (NFKD: full-width letters,
-- ligatures and the like as their plain letters) without the combining marks of Latin, Greek and
-- Cyrillic letters (accents), so that "cafe" finds "Café" and "ABC" finds "ＡＢＣ". Case is left
-- to ILIKE. Search folds its text with the same function (lib/data/end-user-search.ts): one fold,
-- the database's, whatever Unicode version the app's runtime knows.
CREATE FUNCTION "search_fold"(text) RETURNS text LANGUAGE sql STABLE STRICT PARALLEL SAFE AS
$$ SELECT regexp_replace(normalize($1, NFKD), E'[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]', '', 'g') $$;

-- AlterTable: nullable and without a default, so the table is not rewritten.
ALTER TABLE "ConductorEndUser" ADD COLUMN "searchName" TEXT;

-- Kept by the database whenever a name is written, whoever writes it. (Semicolons in the body are
-- written as \073: the WebAssembly migrator's driver splits a script at every semicolon.)
CREATE FUNCTION "end_user_search_name"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  NEW."searchName" := "search_fold"(NEW."companyName")\073
  RETURN NEW\073
END';

CREATE TRIGGER "end_user_search_name" BEFORE INSERT OR UPDATE OF "companyName", "searchName" ON "ConductorEndUser"
  FOR EACH ROW EXECUTE FUNCTION "end_user_search_name"();
