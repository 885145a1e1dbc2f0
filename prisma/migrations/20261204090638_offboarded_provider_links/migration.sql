-- CreateTable
CREATE TABLE "OffboardedProviderLink" (
    "provider" "ExternalProvider" NOT NULL,
    "externalId" TEXT NOT NULL,
    "endUserId" TEXT NOT NULL,

    CONSTRAINT "OffboardedProviderLink_pkey" PRIMARY KEY ("provider","externalId")
);

-- CreateIndex
CREATE INDEX "OffboardedProviderLink_endUserId_idx" ON "OffboardedProviderLink"("endUserId");

-- AddForeignKey
ALTER TABLE "OffboardedProviderLink" ADD CONSTRAINT "OffboardedProviderLink_endUserId_fkey" FOREIGN KEY ("endUserId") REFERENCES "ConductorEndUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Provider ids unlinked by an offboarding before this table existed, named by the offboarding's
-- audit event: each whose latest such event no link or unlink of the id came after.
INSERT INTO "OffboardedProviderLink" ("provider", "externalId", "endUserId")
SELECT DISTINCT ON (u."provider", u."externalId") u."provider"::"ExternalProvider", u."externalId", a."endUserId"
FROM "AuditEvent" a
CROSS JOIN LATERAL jsonb_to_recordset(
  CASE WHEN jsonb_typeof(a."data"->'unlinked') = 'array' THEN a."data"->'unlinked' END
) AS u("provider" TEXT, "externalId" TEXT)
JOIN "ConductorEndUser" e ON e."id" = a."endUserId" AND e."deletedAt" IS NOT NULL
WHERE a."action" IN ('END_USER_OFFBOARDED', 'END_USER_TOMBSTONED')
  AND NOT EXISTS (
    SELECT 1 FROM "ProviderEndUser" p WHERE p."provider"::text = u."provider" AND p."externalId" = u."externalId")
  AND NOT EXISTS (
    SELECT 1 FROM "AuditEvent" l
    WHERE l."action" IN ('PROVIDER_LINKED', 'PROVIDER_UNLINKED')
      AND l."data"->>'provider' = u."provider" AND l."data"->>'externalId' = u."externalId"
      AND (l."at", l."id") > (a."at", a."id"))
ORDER BY u."provider", u."externalId", a."at" DESC, a."id" DESC;
