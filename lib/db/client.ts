/**
 * The one Prisma client of the process, and the pool under it. Only the data-access layer
 * (lib/data) imports this module.
 */
import "server-only";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { env, modes } from "@/lib/platform/env";
import { log } from "@/lib/platform/log";
import { forgetSingleton, singleton } from "@/lib/platform/singleton";
import { PrismaClient, type Prisma } from "./generated/client";
import { requireMigration } from "./schema-check";

type Connection = { prisma: PrismaClient; pool: pg.Pool };

/** A transaction, or the client itself where no transaction is needed. */
export type Tx = Prisma.TransactionClient | PrismaClient;

/** How long a query or a transaction waits for a connection of the pool. */
const POOL_WAIT_MS = 10_000;

async function connect(): Promise<Connection> {
  // EMBEDDED_DATABASE_BUILD is a compile-time constant (next.config.mjs `defineServer`): "false"
  // on Vercel, where the embedded database is refused anyway, so its ≈25 MB of WebAssembly are
  // not even traced into the functions. Scripts and tests run unbundled and leave it undefined.
  // eslint-disable-next-line no-restricted-syntax
  const embedded = modes.database === "embedded" && process.env.EMBEDDED_DATABASE_BUILD !== "false";
  const connectionString = embedded
    ? (await (await import("./embedded")).startEmbeddedDatabase(env.DATA_DIR)).url
    : env.DATABASE_URL;
  const pool = new pg.Pool({
    connectionString,
    // Serverless instances each hold a pool: keep it small so many instances fit the database's
    // connection limit, and close idle clients before the platform freezes the instance.
    // PGlite is one Postgres session: its socket server interleaves the protocol messages of
    // concurrent connections, so one request's parameters could meet another's statement.
    max: embedded ? 1 : (env.DATABASE_POOL_MAX ?? (env.VERCEL ? 5 : 10)),
    idleTimeoutMillis: env.VERCEL ? 5_000 : 30_000,
    connectionTimeoutMillis: POOL_WAIT_MS,
  });
  pool.on("error", (error) => log.error("db.pool_error", { message: error.message }));
  try {
    await requireMigration(pool);
  } catch (error) {
    // Checked again on the next use, so the instance serves once someone migrates.
    await pool.end().catch(() => {});
    throw error;
  }
  if (env.VERCEL) {
    const { attachDatabasePool } = await import("@vercel/functions");
    attachDatabasePool(pool);
  }
  // A transaction waits for a connection as long as any other query does (Prisma's own default is
  // 2 s): on a busy pool, ten links of one end-user at once failed to start instead of queueing.
  const transactionOptions = { maxWait: POOL_WAIT_MS };
  // searchName is Postgres's to write and search's to read: no row the app reads carries it.
  const omit = { conductorEndUser: { searchName: true } } as const;
  return { prisma: new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions, omit }), pool };
}

function connection(): Promise<Connection> {
  return singleton("db.connection", () => {
    const connecting = connect();
    connecting.catch(() => forgetSingleton("db.connection"));
    return connecting;
  });
}

/** The Prisma client, connecting (and, for the embedded database, starting it) on first use. */
export async function db(): Promise<PrismaClient> {
  return (await connection()).prisma;
}

/**
 * The pool under the Prisma client, for the few hot-path statements where Prisma's per-query overhead
 * (≈ 180 µs of CPU) is most of the work.
 */
export async function pgPool(): Promise<pg.Pool> {
  return (await connection()).pool;
}

export type { PrismaClient };
export { Prisma } from "./generated/client";
