/**
 * What a refused request must leave as it was: the rows of every table the API writes, and the
 * calls the sandbox providers received.
 */
import { sql } from "./db";
import { emulator } from "./emulator";

const TABLES = [
  "ConductorEndUser",
  "IntegrationConnection",
  "OnboardingClaim",
  "Offboarding",
  "ProviderEndUser",
  "OffboardedProviderLink",
  "AuditEvent",
] as const;

export async function writeState(): Promise<Record<string, number>> {
  const [row] = await sql<Record<string, number>>(
    `SELECT ${TABLES.map((table) => `(SELECT count(*)::int FROM "${table}") AS "${table}"`).join(", ")}`,
  );
  return { ...row, upstreamCalls: (await emulator.calls()).length };
}
