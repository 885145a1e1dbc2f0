-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'PROVIDER_MISSING';

-- AlterTable
ALTER TABLE "ProviderEndUser" ADD COLUMN     "missingSince" TIMESTAMP(3);
