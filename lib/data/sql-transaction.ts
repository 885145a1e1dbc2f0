/**
 * A transaction on one connection of the pool, outside Prisma, for a refresh's long run of
 * statements. Statements are sent in the order they were issued, each once the one before has
 * answered (node-postgres deprecates queueing them on a busy client), so the caller can queue the
 * next chunk's read ahead of a write and compare and build the next write while Postgres runs this
 * one. Prisma's interactive transactions promise no such order, and their per-statement handling
 * of a chunk's large parameters cost about a second of a 100,000-row refresh.
 */
import "server-only";
import type pg from "pg";
import { pgPool, type Prisma } from "@/lib/db/client";
import { utcTimestamps } from "./prepared";

export type SqlTx = {
  /** The statement's rows; it is queued on the connection at once, in order. */
  query: <R extends pg.QueryResultRow>(statement: Prisma.Sql) => Promise<R[]>;
};

/**
 * Runs `work` in a transaction, committed when it returns and rolled back when it throws. No
 * statement may start after `timeoutMs`, nor run longer than it: a stuck refresh gives its
 * connection and its lock back.
 */
export async function inSqlTransaction<T>(work: (tx: SqlTx) => Promise<T>, timeoutMs: number): Promise<T> {
  const client = await (await pgPool()).connect();
  const deadline = Date.now() + timeoutMs;
  let reusable = true;
  // Once a statement fails, Postgres refuses every later one ("current transaction is aborted"):
  // the first failure is the one to report, whichever statement the caller was awaiting.
  const failures: unknown[] = [];
  let previous: Promise<unknown> = Promise.resolve();
  const send = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const sent = previous.then(() => client.query<R>({ text, values, types: utcTimestamps }));
    previous = sent.catch(() => {});
    return sent;
  };
  try {
    await send("BEGIN");
    await send(`SET LOCAL statement_timeout = ${Math.round(timeoutMs)}`);
    const tx: SqlTx = {
      query: async <R extends pg.QueryResultRow>(statement: Prisma.Sql) => {
        if (Date.now() > deadline) throw new Error(`The transaction ran past ${timeoutMs} ms.`);
        try {
          return (await send<R>(statement.text, statement.values)).rows;
        } catch (error) {
          failures.push(error);
          throw error;
        }
      },
    };
    const result = await work(tx);
    await send("COMMIT");
    return result;
  } catch (error) {
    await send("ROLLBACK").catch(() => {
      reusable = false;
    });
    throw failures.length > 0 ? failures[0] : error;
  } finally {
    // A connection whose rollback failed is closed, not handed to the next request mid-transaction.
    client.release(!reusable);
  }
}
