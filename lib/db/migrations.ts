/**
 * Prisma's schema engine compiled to WebAssembly, driven over a node-postgres pool. It applies
 * `prisma/migrations` exactly as `prisma migrate deploy` does (same folder, same
 * `_prisma_migrations` bookkeeping) without downloading a native engine, so it runs offline, at
 * demo start-up against the embedded database, and in Vercel's build.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { migrationNames } from "./migration-names.mjs";

const PRISMA_DIR = path.join(process.cwd(), "prisma");
const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
const NO_FILTERS = { externalTables: [], externalEnums: [] };

type Engine = Awaited<ReturnType<typeof bg.SchemaEngine.new>>;

/** The session-level advisory lock Prisma's engine holds while it migrates. */
const PRISMA_MIGRATION_LOCK = 72707369;
/** How long a migration waits for a lock (Prisma's, or a table's) before failing instead of hanging the build. */
const LOCK_TIMEOUT_MS = 60_000;

let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    // Resolved from the project root at run time: bundlers rewrite a literal require.resolve.
    const wasmPath = path.join(process.cwd(), "node_modules", "@prisma", "schema-engine-wasm", "schema_engine_bg.wasm");
    const imports = { "./schema_engine_bg.js": bg } as unknown as WebAssembly.Imports;
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), imports);
    const exports = instance.exports as unknown as { __wbindgen_start: () => void };
    (bg as unknown as { __wbg_set_wasm: (e: unknown) => void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

async function withEngine<T>(
  connectionString: string,
  run: (engine: Engine, schema: string) => Promise<T>,
  lockTimeoutMs = LOCK_TIMEOUT_MS,
) {
  await loadWasm();
  const schema = await readFile(SCHEMA_PATH, "utf8");
  // Both connections are opened (and never closed while idle) here, so each waits at most
  // lockTimeoutMs for a lock whatever the engine sends on it.
  const pool = new pg.Pool({ connectionString, max: 2, idleTimeoutMillis: 0 });
  try {
    const clients = await Promise.all([pool.connect(), pool.connect()]);
    await Promise.all(clients.map((client) => client.query(`SET lock_timeout = ${Math.round(lockTimeoutMs)}`)));
    for (const client of clients) client.release();
    const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool) as never);
    const engine = await bg.SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, () => {}, factory);
    try {
      return await run(engine, schema);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

async function readMigrations() {
  const directories = migrationNames(MIGRATIONS_DIR);
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: lockPath, content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      directories.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (error: Error) => ({ tag: "error" as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

/**
 * The connections still holding Prisma's migration lock, waiting up to `waitMs` for them to let go:
 * after a run, a holder is a transaction-mode pooler's server connection that kept the lock (the
 * engine's unlock went to another), which every later migration would wait for.
 */
export async function migrationLockHolders(connectionString: string, waitMs = 2_000): Promise<number[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    for (const started = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const { rows } = await client.query<{ pid: number }>(
        // Our own backend counts too: a pooler may hand this client the connection that kept the lock.
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`,
        [PRISMA_MIGRATION_LOCK],
      );
      if (rows.length === 0 || Date.now() - started > waitMs) return rows.map((row) => row.pid);
    }
  } finally {
    await client.end();
  }
}

/** Applies every pending migration; returns the names of those applied now. Idempotent. */
export async function applyMigrations(
  connectionString: string,
  options: { lockTimeoutMs?: number } = {},
): Promise<string[]> {
  const migrationsList = await readMigrations();
  return withEngine(
    connectionString,
    async (engine) => (await engine.applyMigrations({ migrationsList, filters: NO_FILTERS })).appliedMigrationNames,
    options.lockTimeoutMs,
  );
}

/**
 * The SQL that takes a schema (or nothing) to the current `schema.prisma`, computed without
 * touching a database. Used to write new migrations and to prove the folder matches the schema.
 */
export async function diffSql(connectionString: string, fromSchema: string | null): Promise<string> {
  return withEngine(connectionString, async (engine, schema) => {
    const toFile = { path: SCHEMA_PATH, content: schema };
    const result = await engine.diff({
      from:
        fromSchema === null
          ? { tag: "empty" }
          : { tag: "schemaDatamodel", files: [{ ...toFile, content: fromSchema }] },
      to: { tag: "schemaDatamodel", files: [toFile] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? "";
  });
}
