/**
 * npm run db:migrate: applies prisma/migrations to DATABASE_URL_UNPOOLED, else DATABASE_URL,
 * else the embedded database. The same folder works with `prisma migrate deploy`.
 */
import { env } from "@/lib/platform/env";
import { applyMigrations } from "@/lib/db/migrations";
import { startEmbeddedDatabase } from "@/lib/db/embedded";

async function main() {
  const started = Date.now();
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
  }
  await stop();
  console.log(`done in ${Date.now() - started} ms`);
}

main().catch((error: Error) => {
  console.error(`db:migrate failed: ${error.message}`);
  process.exit(1);
});
