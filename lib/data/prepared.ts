/**
 * Queries on the hot path as named prepared statements, planned once per connection. A
 * transaction-mode pooler may route a connection's next query to a server that never saw the
 * statement (or already has one of that name); the first such error switches this instance to
 * unnamed statements for good, and the query is run again.
 */
import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { pgPool, type Prisma } from "@/lib/db/client";
import { log } from "@/lib/platform/log";
import { singleton } from "@/lib/platform/singleton";

const statements = singleton("data.preparedStatements", () => ({ named: true }));
const POOLER_REFUSALS = new Set(["26000", "42P05"]); // statement does not exist / already exists

const TIMESTAMP = 1114;

/**
 * Prisma's DateTime columns are `timestamp(3)` holding UTC; node-postgres would read them in the
 * process's time zone. Only these queries read them as UTC: the pool's other users keep pg's parsers.
 */
export const utcTimestamps: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP && format !== "binary"
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

export async function queryPrepared<R extends pg.QueryResultRow>(
  name: string,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  const pool = await pgPool();
  if (statements.named) {
    try {
      return await pool.query<R>({ name, text, values, types: utcTimestamps });
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      if (!POOLER_REFUSALS.has(code)) throw error;
      statements.named = false;
      log.warn("db.named_statements_off", { code });
    }
  }
  return pool.query<R>({ text, values, types: utcTimestamps });
}

/**
 * A statement built with `Prisma.sql`, run as a named prepared statement outside Prisma: for
 * single statements on the hot path, where Prisma's handling and Postgres's parsing and planning
 * of a long statement cost more than running it. Named after its text, so each shape is prepared
 * once per connection whatever its values.
 */
export async function runPrepared<R extends pg.QueryResultRow>(statement: Prisma.Sql): Promise<R[]> {
  const name = `s_${createHash("sha1").update(statement.text).digest("base64url").slice(0, 20)}`;
  return (await queryPrepared<R>(name, statement.text, statement.values)).rows;
}
