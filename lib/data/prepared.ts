/**
 * Queries on the hot path as named prepared statements, planned once per connection. A
 * transaction-mode pooler may route a connection's next query to a server that never saw the
 * statement (or already has one of that name); the first such error switches this instance to
 * unnamed statements for good, and the query is run again.
 */
import "server-only";
import type pg from "pg";
import { pgPool } from "@/lib/db/client";
import { log } from "@/lib/platform/log";
import { singleton } from "@/lib/platform/singleton";

const statements = singleton("data.preparedStatements", () => ({ named: true }));
const POOLER_REFUSALS = new Set(["26000", "42P05"]); // statement does not exist / already exists

export async function queryPrepared<R extends pg.QueryResultRow>(
  name: string,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  const pool = await pgPool();
  if (statements.named) {
    try {
      return await pool.query<R>({ name, text, values });
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      if (!POOLER_REFUSALS.has(code)) throw error;
      statements.named = false;
      log.warn("db.named_statements_off", { code });
    }
  }
  return pool.query<R>(text, values);
}
