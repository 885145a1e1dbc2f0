/**
 * Debian's PgBouncer in transaction pooling mode in front of the test Postgres, as Neon, Supabase
 * and Prisma Postgres put one in front of theirs: every database of the server is reachable
 * through it under its own name. It keeps no prepared statement from one transaction to the next
 * (its version here cannot, and it discards everything a transaction leaves), so a client that
 * relies on statements surviving sees them vanish.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ADMIN_URL } from "./database";
import { freePort, spawnProcess } from "./processes";

export const PGBOUNCER_PATH = process.env.PGBOUNCER_PATH ?? "/usr/sbin/pgbouncer";

export type Pooler = {
  port: number;
  /** `directUrl` with its host and port replaced by the pooler's. */
  pooled: (directUrl: string) => string;
  /** Transactions the pooler has carried to a database (0 when it never saw it). */
  transactions: (database: string) => Promise<number>;
  output: () => string;
  stop: () => Promise<void>;
};

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(Boolean(socket.end())));
    socket.once("error", () => resolve(false));
  });
}

/**
 * `resetEachTransaction: false` is PgBouncer's own default: a server connection keeps whatever
 * session state a transaction left (advisory locks included) for the next client.
 */
export async function startPgBouncer(
  options: { poolSize?: number; resetEachTransaction?: boolean } = {},
): Promise<Pooler> {
  const upstream = new URL(ADMIN_URL);
  const user = decodeURIComponent(upstream.username || "postgres");
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "pgbouncer-"));
  const ini = path.join(dir, "pgbouncer.ini");
  writeFileSync(path.join(dir, "users.txt"), `"${user}" "${decodeURIComponent(upstream.password)}"\n`);
  writeFileSync(
    ini,
    [
      "[databases]",
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      `admin_users = ${user}`,
      "pool_mode = transaction",
      `default_pool_size = ${options.poolSize ?? 4}`,
      "max_client_conn = 500",
      "server_reset_query = DISCARD ALL",
      `server_reset_query_always = ${options.resetEachTransaction === false ? 0 : 1}`,
      "ignore_startup_parameters = extra_float_digits,options",
      "",
    ].join("\n"),
  );
  // PgBouncer refuses to run as root; it then reads its files as the postgres user.
  chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  const spawned = spawnProcess(PGBOUNCER_PATH, [...(asRoot ? ["-u", "postgres"] : []), ini], { env: {} });
  const stop = async () => {
    await spawned.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; !(await accepts(port)); waited += 20) {
    if (spawned.child.exitCode !== null || waited > 10_000) {
      await stop();
      throw new Error(`pgbouncer did not start:\n${spawned.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  const pooled = (directUrl: string) => {
    const url = new URL(directUrl);
    url.hostname = "127.0.0.1";
    url.port = String(port);
    return url.toString();
  };
  const transactions = async (database: string) => {
    // The admin console speaks only the simple query protocol: no parameters.
    const client = new pg.Client({ connectionString: `postgresql://${user}@127.0.0.1:${port}/pgbouncer` });
    await client.connect();
    try {
      const { rows } = await client.query<{ database: string; total_xact_count: string }>("SHOW STATS");
      return Number(rows.find((row) => row.database === database)?.total_xact_count ?? 0);
    } finally {
      await client.end();
    }
  };
  return { port, pooled, transactions, output: spawned.output, stop };
}
