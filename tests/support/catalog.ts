/** A comparable description of everything a schema defines in a database's public schema. */
import { query } from "./database";

export async function catalog(url: string) {
  const [columns, indexes, constraints, enums, extensions] = await Promise.all([
    query(
      url,
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, datetime_precision
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
                ORDER BY table_name, column_name`,
    ),
    query(
      url,
      `SELECT tablename, indexname, indexdef FROM pg_indexes
                WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
    ),
    query(
      url,
      `SELECT c.relname AS table, con.conname, con.contype, pg_get_constraintdef(con.oid) AS definition
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations' ORDER BY c.relname, con.conname`,
    ),
    query(
      url,
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
                FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`,
    ),
    query(url, `SELECT extname FROM pg_extension ORDER BY extname`),
  ]);
  return { columns, indexes, constraints, enums, extensions };
}
