/**
 * Parts a fault test owns and breaks on purpose, each stopped when the test ends: a Postgres
 * server of its own (initdb and pg_ctl on a fresh data directory and port, migrated), a Redis
 * server, and a relay in front of the stack's SMTP sink whose port can be closed and reopened.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { applyMigrations } from "@/lib/db/migrations";
import { query } from "./database";
import { baseEnv, freePort, runProcess, spawnProcess, type Spawned } from "./processes";
import { stack } from "./provided";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** initdb and the server refuse to run as root: as root, they run as the postgres user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

async function run(command: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const [cmd, argv] = asServerUser(command, args);
  const { code, output } = await runProcess(cmd, argv, { env: baseEnv(), timeoutMs });
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`);
  return output;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

/** A Postgres server of the test's own, migrated; `stop` shuts it down (clients are cut off), `start` brings it back with its data. */
export async function ownPostgres() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fault-pg-"));
  if (process.getuid?.() === 0) spawnSync("chown", ["postgres", dir]);
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  await run(path.join(PG_BIN, "initdb"), ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pgCtl = (...args: string[]) => run(path.join(PG_BIN, "pg_ctl"), ["-D", dataDir, "-w", ...args]);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const part = {
    url,
    port,
    start: () => pgCtl("-l", path.join(dir, "server.log"), "-o", options, "start"),
    stop: () => pgCtl("-m", "fast", "stop"),
    query: <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => query<T>(url, text, params),
    async count(text: string, params: unknown[] = []): Promise<number> {
      const [row] = await part.query<{ n: string }>(`SELECT count(*)::text AS n FROM (${text}) AS t`, params);
      return Number(row!.n);
    },
  };
  onTestFinished(async () => {
    await pgCtl("-m", "immediate", "stop").catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
  await part.start();
  await applyMigrations(url);
  return part;
}

/** A Redis server of the test's own (no persistence); `kill` ends it at once, `start` runs a new one on the same port. */
export async function ownRedis() {
  const port = await freePort();
  let server: Spawned | null = null;
  const part = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
      server = spawnProcess("redis-server", args, { env: baseEnv() });
      await until(() => accepts(port), "redis-server did not listen");
    },
    async kill() {
      server?.child.kill("SIGKILL");
      await server?.exited;
      server = null;
    },
  };
  onTestFinished(() => part.kill());
  await part.start();
  return part;
}

/**
 * A relay to the stack's SMTP sink on a port of its own, so mail still lands where `h.mail`
 * reads it; `refuse` closes the port (connections are refused), `accept` opens it again, and
 * `stallAfterMessage` lets each new session through until its client has sent a whole message,
 * then passes on nothing more the sink says: the sink has the message, the client never hears so.
 */
export async function smtpRelay() {
  const sink = new URL(stack.appEnv.EMAIL_SERVER!);
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let stallAfterMessage = false;
  const part = {
    // The sink's credentials pass through the relay as any relay's would.
    url: `smtp://${sink.username ? `${sink.username}:${sink.password}@` : ""}127.0.0.1:${port}`,
    async accept() {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(sink.port), sink.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.once("close", () => sockets.delete(socket));
          socket.on("error", () => {});
        }
        let stalled = false;
        let tail = "";
        const stalls = stallAfterMessage;
        client.on("data", (chunk: Buffer) => {
          // A message ends with a line holding a single dot (dot-stuffing keeps it out of the body).
          tail = (tail + chunk.toString("latin1")).slice(-8);
          upstream.write(chunk);
          if (stalls && tail.endsWith("\r\n.\r\n")) stalled = true;
        });
        upstream.on("data", (chunk: Buffer) => {
          if (!stalled) client.write(chunk);
        });
        client.on("end", () => upstream.end());
        upstream.on("end", () => client.end());
      });
      await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    },
    stallAfterMessage() {
      stallAfterMessage = true;
    },
    async refuse() {
      const closing = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
  onTestFinished(() => part.refuse());
  await part.accept();
  return part;
}
