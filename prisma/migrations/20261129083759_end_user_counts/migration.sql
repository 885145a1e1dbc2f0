-- CreateTable
CREATE TABLE "EndUserCountDelta" (
    "id" BIGSERIAL NOT NULL,
    "connectionStatus" "ConnectionStatus" NOT NULL,
    "offboarded" BOOLEAN NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "EndUserCountDelta_pkey" PRIMARY KEY ("id")
);

-- The counts as they stand.
INSERT INTO "EndUserCountDelta" ("connectionStatus", "offboarded", "delta")
SELECT "connectionStatus", "deletedAt" IS NOT NULL, count(*) FROM "ConductorEndUser" GROUP BY 1, 2;

-- One delta row per status a statement changed the count of. Statement-level with transition
-- tables: a batched upsert of thousands of rows appends a handful of deltas, and appending takes
-- no lock that another writer could wait on. The body is an E-string with each semicolon written
-- as \073: the WebAssembly migrator's driver splits a script at every semicolon, dollar quotes
-- included.
CREATE FUNCTION "end_user_count_changes"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''TRUNCATE'' THEN
    DELETE FROM "EndUserCountDelta"\073
  ELSIF TG_OP = ''INSERT'' THEN
    INSERT INTO "EndUserCountDelta" ("connectionStatus", "offboarded", "delta")
    SELECT "connectionStatus", "deletedAt" IS NOT NULL, count(*) FROM new_rows GROUP BY 1, 2\073
  ELSIF TG_OP = ''DELETE'' THEN
    INSERT INTO "EndUserCountDelta" ("connectionStatus", "offboarded", "delta")
    SELECT "connectionStatus", "deletedAt" IS NOT NULL, -count(*) FROM old_rows GROUP BY 1, 2\073
  ELSE
    INSERT INTO "EndUserCountDelta" ("connectionStatus", "offboarded", "delta")
    SELECT status, offboarded, sum(delta) FROM (
      SELECT "connectionStatus" AS status, "deletedAt" IS NOT NULL AS offboarded, 1 AS delta FROM new_rows
      UNION ALL
      SELECT "connectionStatus", "deletedAt" IS NOT NULL, -1 FROM old_rows
    ) AS moved GROUP BY status, offboarded HAVING sum(delta) <> 0\073
  END IF\073
  RETURN NULL\073
END ';

CREATE TRIGGER "end_user_count_inserted" AFTER INSERT ON "ConductorEndUser"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "end_user_count_changes"();
CREATE TRIGGER "end_user_count_updated" AFTER UPDATE ON "ConductorEndUser"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "end_user_count_changes"();
CREATE TRIGGER "end_user_count_deleted" AFTER DELETE ON "ConductorEndUser"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "end_user_count_changes"();
CREATE TRIGGER "end_user_count_truncated" AFTER TRUNCATE ON "ConductorEndUser"
  FOR EACH STATEMENT EXECUTE FUNCTION "end_user_count_changes"();
