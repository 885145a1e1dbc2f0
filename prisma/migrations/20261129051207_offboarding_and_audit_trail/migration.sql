-- Offboarding (a tombstone per deleted end-user, so a sourceId is unique among live rows only),
-- the audit trail's request ids, and audit rows made append-only by the database itself.

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AuditAction" ADD VALUE 'OFFBOARDING_FAILED';
ALTER TYPE "AuditAction" ADD VALUE 'OFFBOARDING_OUTCOME_UNKNOWN';
ALTER TYPE "AuditAction" ADD VALUE 'END_USER_OFFBOARDED';
ALTER TYPE "AuditAction" ADD VALUE 'END_USER_TOMBSTONED';

-- DropIndex
DROP INDEX "ConductorEndUser_sourceId_key";

-- AlterTable
ALTER TABLE "ConductorEndUser" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "deletedBy" TEXT;

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "conductorRequestId" TEXT;

-- CreateTable
CREATE TABLE "Offboarding" (
    "endUserId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseToken" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "deleteStartedAt" TIMESTAMP(3),
    "errorCode" TEXT,
    "conductorRequestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Offboarding_pkey" PRIMARY KEY ("endUserId")
);

-- CreateIndex
CREATE INDEX "Offboarding_leaseExpiresAt_idx" ON "Offboarding"("leaseExpiresAt");

-- CreateIndex
CREATE INDEX "ConductorEndUser_sourceId_idx" ON "ConductorEndUser"("sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "ConductorEndUser_sourceId_key" ON "ConductorEndUser"("sourceId") WHERE ("deletedAt" IS NULL);

-- CreateIndex
CREATE INDEX "AuditEvent_at_id_idx" ON "AuditEvent"("at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_actor_at_idx" ON "AuditEvent"("actor", "at");

-- AddForeignKey
ALTER TABLE "Offboarding" ADD CONSTRAINT "Offboarding_endUserId_fkey" FOREIGN KEY ("endUserId") REFERENCES "ConductorEndUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit trail is append-only: the database refuses to change or remove an event, whatever
-- the code or a console session tries. The function body is an E-string with the semicolon
-- written as \073 because the WebAssembly migrator's driver splits a script at every semicolon,
-- dollar quotes included (it is plain SQL to prisma migrate deploy as well).
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''audit events are append-only: % on "AuditEvent" refused'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';

CREATE TRIGGER "audit_event_append_only_rows" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

CREATE TRIGGER "audit_event_append_only_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
