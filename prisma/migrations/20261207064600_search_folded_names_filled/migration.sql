-- Apart from the migration that adds searchName, whose ALTER TABLE holds a lock that stops even
-- reads until its transaction ends. Here the trigger folds every cached name, once each (row
-- locks: writes to the table wait, reads go on), then the index is built (the same).
UPDATE "ConductorEndUser" SET "searchName" = NULL;

-- CreateIndex
CREATE INDEX "ConductorEndUser_searchName_idx" ON "ConductorEndUser" USING GIN ("searchName" gin_trgm_ops);
