-- The QuickBooks Desktop connection status of each end-user, with the last health check behind it.

-- CreateEnum
CREATE TYPE "ConnectionStatus" AS ENUM ('not_started', 'in_progress', 'connected', 'needs_attention');

-- CreateEnum
CREATE TYPE "ConnectionCheckOutcome" AS ENUM ('passed', 'connection_error', 'not_set_up');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AuditAction" ADD VALUE 'AUTH_SESSION_CREATED';
ALTER TYPE "AuditAction" ADD VALUE 'CONNECT_LINK_SENT';
ALTER TYPE "AuditAction" ADD VALUE 'CONNECTION_STATUS_CHANGED';

-- AlterTable
ALTER TABLE "ConductorEndUser" ADD COLUMN     "connectionCheckOutcome" "ConnectionCheckOutcome",
ADD COLUMN     "connectionCheckedAt" TIMESTAMP(3),
ADD COLUMN     "connectionMessage" TEXT,
ADD COLUMN     "connectionRequestId" TEXT,
ADD COLUMN     "connectionStatus" "ConnectionStatus" NOT NULL DEFAULT 'not_started';

-- Existing end-users get the status their cached connections imply (no health check has run yet).
UPDATE "ConductorEndUser" e SET "connectionStatus" = CASE
  WHEN EXISTS (SELECT 1 FROM "IntegrationConnection" c WHERE c."endUserId" = e."id"
               AND c."integrationSlug" = 'quickbooks_desktop' AND c."lastSuccessfulRequestAt" IS NOT NULL)
    THEN 'connected'::"ConnectionStatus"
  WHEN EXISTS (SELECT 1 FROM "IntegrationConnection" c WHERE c."endUserId" = e."id"
               AND c."integrationSlug" = 'quickbooks_desktop')
    THEN 'in_progress'::"ConnectionStatus"
  ELSE 'not_started'::"ConnectionStatus"
END;

-- CreateIndex
CREATE INDEX "ConductorEndUser_connectionStatus_createdAt_id_idx" ON "ConductorEndUser"("connectionStatus", "createdAt" DESC, "id" DESC);
