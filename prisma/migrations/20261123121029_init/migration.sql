-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "IntegrationSlug" AS ENUM ('quickbooks_desktop');

-- CreateEnum
CREATE TYPE "OnboardingState" AS ENUM ('IN_FLIGHT', 'OUTCOME_UNKNOWN', 'FAILED', 'DONE');

-- CreateEnum
CREATE TYPE "ExternalProvider" AS ENUM ('altur', 'dify');

-- CreateEnum
CREATE TYPE "AuditAction" AS ENUM ('END_USER_CREATED', 'END_USER_REPAIRED', 'ONBOARDING_FAILED', 'ONBOARDING_OUTCOME_UNKNOWN', 'CACHE_REFRESHED', 'PROVIDER_LINKED', 'PROVIDER_REFRESHED', 'PROVIDER_UNLINKED');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("provider","providerAccountId")
);

-- CreateTable
CREATE TABLE "Session" (
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL
);

-- CreateTable
CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VerificationToken_pkey" PRIMARY KEY ("identifier","token")
);

-- CreateTable
CREATE TABLE "ConductorEndUser" (
    "id" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "companyName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL,
    "missingUpstreamSince" TIMESTAMP(3),
    "userId" TEXT,

    CONSTRAINT "ConductorEndUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationConnection" (
    "id" TEXT NOT NULL,
    "endUserId" TEXT NOT NULL,
    "integrationSlug" "IntegrationSlug" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastRequestAt" TIMESTAMP(3),
    "lastSuccessfulRequestAt" TIMESTAMP(3),

    CONSTRAINT "IntegrationConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OnboardingClaim" (
    "sourceId" TEXT NOT NULL,
    "companyName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "state" "OnboardingState" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseToken" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "postStartedAt" TIMESTAMP(3),
    "endUserId" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "conductorRequestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OnboardingClaim_pkey" PRIMARY KEY ("sourceId")
);

-- CreateTable
CREATE TABLE "ProviderEndUser" (
    "provider" "ExternalProvider" NOT NULL,
    "externalId" TEXT NOT NULL,
    "endUserId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "linkedBy" TEXT NOT NULL,

    CONSTRAINT "ProviderEndUser_pkey" PRIMARY KEY ("provider","externalId")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" "AuditAction" NOT NULL,
    "actor" TEXT NOT NULL,
    "sourceId" TEXT,
    "endUserId" TEXT,
    "data" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RateLimitWindow_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Account_userId_idx" ON "Account"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ConductorEndUser_sourceId_key" ON "ConductorEndUser"("sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "ConductorEndUser_userId_key" ON "ConductorEndUser"("userId");

-- CreateIndex
CREATE INDEX "ConductorEndUser_createdAt_id_idx" ON "ConductorEndUser"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "ConductorEndUser_companyName_idx" ON "ConductorEndUser" USING GIN ("companyName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "ConductorEndUser_email_idx" ON "ConductorEndUser" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "IntegrationConnection_endUserId_idx" ON "IntegrationConnection"("endUserId");

-- CreateIndex
CREATE INDEX "OnboardingClaim_state_leaseExpiresAt_idx" ON "OnboardingClaim"("state", "leaseExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderEndUser_endUserId_provider_key" ON "ProviderEndUser"("endUserId", "provider");

-- CreateIndex
CREATE INDEX "AuditEvent_sourceId_at_idx" ON "AuditEvent"("sourceId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_endUserId_at_idx" ON "AuditEvent"("endUserId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- CreateIndex
CREATE INDEX "RateLimitWindow_windowStart_idx" ON "RateLimitWindow"("windowStart");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConductorEndUser" ADD CONSTRAINT "ConductorEndUser_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrationConnection" ADD CONSTRAINT "IntegrationConnection_endUserId_fkey" FOREIGN KEY ("endUserId") REFERENCES "ConductorEndUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderEndUser" ADD CONSTRAINT "ProviderEndUser_endUserId_fkey" FOREIGN KEY ("endUserId") REFERENCES "ConductorEndUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;
