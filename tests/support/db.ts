/** The stack's database read and written directly: to count what the app wrote, and to seed data. */
import { query } from "./database";
import { stack } from "./provided";

export function sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return query<T>(stack.databaseUrl, text, params);
}

export async function count(text: string, params: unknown[] = []): Promise<number> {
  const [row] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM (${text}) AS t`, params);
  return Number(row!.n);
}

/** Rows per table (rate-limit windows aside: a refused request may spend budget), to show a request wrote nothing. */
export async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('RateLimitWindow', '_prisma_migrations')
     ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = await count(`SELECT 1 FROM "${name}"`);
  return counts;
}

export async function userIdFor(email: string): Promise<string> {
  const [row] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

/** The OnboardingClaim columns tests look at (the row holds them all). */
export type ClaimRow = {
  sourceId: string;
  state: string;
  attempts: number;
  leaseExpiresAt: Date | null;
  postStartedAt: Date | null;
  endUserId: string | null;
  errorCode: string | null;
  conductorRequestId: string | null;
};

/** The onboarding claim for a sourceId (undefined when there is none). */
export async function claimFor(sourceId: string): Promise<ClaimRow | undefined> {
  const [row] = await sql<ClaimRow>(`SELECT * FROM "OnboardingClaim" WHERE "sourceId" = $1`, [sourceId]);
  return row;
}

/** How many end-users the cache holds for a sourceId. */
export const cachedCount = (sourceId: string) =>
  count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId]);

/**
 * `total` cached end-users `end_usr_<prefix>00001`…, sourceId `<prefix>-src-<i>`, company
 * `Company <prefix> <i>` (every 1,000th also "Zebra Holdings"), email `owner<i>@<prefix>.example`,
 * a second apart from 2025-01-01, every 7th sharing its createdAt with the one before it (so
 * paging must break ties by id).
 */
export async function seedCachedEndUsers(prefix: string, total: number): Promise<void> {
  await sql(
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
     SELECT 'end_usr_${prefix}' || lpad(i::text, 5, '0'), '${prefix}-src-' || i,
            'Company ${prefix} ' || i || CASE WHEN i % 1000 = 0 THEN ' Zebra Holdings' ELSE '' END,
            'owner' || i || '@${prefix}.example', timestamp '2025-01-01' + ((i - (i % 7 = 0)::int) * interval '1 second'), now()
     FROM generate_series(1, $1::int) AS i`,
    [total],
  );
}
