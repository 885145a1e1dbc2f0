/**
 * npm run db:migrate: applies prisma/migrations to DATABASE_URL_UNPOOLED, else DATABASE_URL,
 * else the embedded database. The same folder works with `prisma migrate deploy`. A run that
 * leaves Prisma's migration lock behind (a pooled URL) fails, so the build says so at once.
 */
import { applyMigrations, migrationLockHolders } from "@/lib/db/migrations";
import { startEmbeddedDatabase } from "@/lib/db/embedded";

async function main() {
  const started = Date.now();
  // Imported here, so that an invalid environment is told as this command's own failure (the
  // first thing a Vercel build runs), not as an uncaught exception with its stack.
  const { env } = await import("@/lib/platform/env");
  let target = env.DATABASE_URL_UNPOOLED ?? env.DATABASE_URL;
  let stop = async () => {};
  // The direct URL alone names the database to migrate: the embedded one is for when none is named.
  if (!target) {
    const embedded = await startEmbeddedDatabase(env.DATA_DIR);
    target = embedded.url;
    stop = embedded.stop;
    console.log(`embedded database in ${env.DATA_DIR}/pg (migrated on start)`);
  } else {
    const applied = await applyMigrations(target!);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "no pending migrations");
    const holders = await migrationLockHolders(target!);
    if (holders.length > 0)
      throw new Error(
        `Prisma's migration lock is still held after the run, by the server connection with pid ${holders.join(", ")}: ` +
          "the URL goes through a transaction pooler, which kept the lock. Migrate over the direct URL " +
          `(DATABASE_URL_UNPOOLED), and end that connection (SELECT pg_terminate_backend(${holders[0]})): ` +
          "until then, every later migration waits for it.",
      );
  }
  await stop();
  console.log(`done in ${Date.now() - started} ms`);
}

main().catch((error: Error) => {
  const hint = /lock timeout/.test(error.message)
    ? " (another migration, or a pooled connection an earlier one went through, holds Prisma's migration lock)"
    : "";
  console.error(`db:migrate failed: ${error.message}${hint}`);
  process.exit(1);
});
