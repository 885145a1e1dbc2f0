-- Linked Altur/Dify end-users are stored in one provider-neutral shape instead of each
-- provider's raw payload. Existing links are carried over from the payload they were saved with.

-- AlterTable
ALTER TABLE "ProviderEndUser"
ADD COLUMN     "anonymous" BOOLEAN,
ADD COLUMN     "channel" TEXT,
ADD COLUMN     "displayName" TEXT,
ADD COLUMN     "externalUserId" TEXT,
ADD COLUMN     "note" TEXT,
ADD COLUMN     "providerCreatedAt" TIMESTAMP(3);

-- Altur: display_name, integration_type, info.
UPDATE "ProviderEndUser"
SET "displayName" = "data"->>'display_name',
    "channel" = "data"->>'integration_type',
    "note" = NULLIF("data"->>'info', '')
WHERE "provider" = 'altur';

-- Dify: name, external_user_id, type, is_anonymous, created_at.
UPDATE "ProviderEndUser"
SET "displayName" = "data"->>'name',
    "externalUserId" = "data"->>'external_user_id',
    "channel" = "data"->>'type',
    "anonymous" = ("data"->>'is_anonymous')::boolean,
    "providerCreatedAt" = (("data"->>'created_at')::timestamptz AT TIME ZONE 'UTC')
WHERE "provider" = 'dify';

ALTER TABLE "ProviderEndUser" DROP COLUMN "data";
