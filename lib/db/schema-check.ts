/**
 * Refuses a database that lacks a migration this build's code relies on (code deployed before
 * `db:migrate` ran, or a database nobody migrated): queries would fail one by one, some after an
 * upstream call had already changed something, while /api/health called the database fine.
 */
import "server-only";
import type pg from "pg";

/**
 * The newest folder of prisma/migrations when this server was built (a compile-time constant,
 * next.config.mjs); undefined when the code runs unbundled (scripts and the data layer's tests).
 */
// eslint-disable-next-line no-restricted-syntax -- a build constant, not configuration
const BUILT_WITH = process.env.SCHEMA_MIGRATION;

const UNDEFINED_TABLE = "42P01";

/** Its `code` survives wrappers that keep only a code and a message (next-auth's adapter errors). */
export class SchemaBehindError extends Error {
  override name = "SchemaBehindError";
  readonly code = "SCHEMA_BEHIND";
}

/** Throws SchemaBehindError unless `needed` is recorded as applied (a newer one applied as well is fine). */
export async function requireMigration(pool: pg.Pool, needed = BUILT_WITH): Promise<void> {
  if (!needed) return;
  const { rows } = await pool
    .query<{ applied: boolean | null; newest: string | null }>(
      `SELECT bool_or("migration_name" = $1) AS "applied", max("migration_name") AS "newest"
       FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
      [needed],
    )
    .catch((error: { code?: string }) => {
      if (error.code === UNDEFINED_TABLE) return { rows: [{ applied: false, newest: null }] };
      throw error;
    });
  const [{ applied, newest }] = rows as [(typeof rows)[number]];
  if (applied) return;
  throw new SchemaBehindError(
    `The database lacks migration ${needed}, which this version of the app needs (newest applied: ${newest ?? "none"}). Run \`npm run db:migrate\` (or \`prisma migrate deploy\`) against it.`,
  );
}
