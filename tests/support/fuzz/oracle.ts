/**
 * What every fuzzed answer must satisfy, and the evidence for it: a write log kept by triggers on
 * every table of the stack's database (rate-limit windows aside: a refused request may spend
 * budget), and the sandbox providers' call log.
 */
import http from "node:http";
import pg from "pg";
import { emulator } from "../emulator";
import { stack } from "../provided";
import type { FuzzRequest } from "./requests";

export type Answer = { status: number; headers: string; body: string };

// One small pool for the run: a connection per query would cost more than the requests checked.
let pool: pg.Pool | undefined;
async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  pool ??= new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
  return (await pool.query<T>(text, params)).rows;
}

/** Tables whose writes a refused request may make. */
const EXEMPT_TABLES = ["RateLimitWindow", "_prisma_migrations", "fuzz_write_log"];

/** Installs the write log (idempotent); `uninstall` removes every trace of it. */
export const writeLog = {
  async install(): Promise<void> {
    await sql(
      `CREATE TABLE IF NOT EXISTS fuzz_write_log (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL)`,
    );
    await sql(`CREATE OR REPLACE FUNCTION fuzz_log_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO fuzz_write_log (tbl, op) VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$`);
    for (const table of await tables())
      await sql(`CREATE OR REPLACE TRIGGER fuzz_log AFTER INSERT OR UPDATE OR DELETE ON "${table}"
                 FOR EACH ROW EXECUTE FUNCTION fuzz_log_write()`);
  },
  async uninstall(): Promise<void> {
    for (const table of await tables()) await sql(`DROP TRIGGER IF EXISTS fuzz_log ON "${table}"`);
    await sql(`DROP FUNCTION IF EXISTS fuzz_log_write() CASCADE`);
    await sql(`DROP TABLE IF EXISTS fuzz_write_log`);
    await pool?.end();
    pool = undefined;
  },
  async mark(): Promise<number> {
    const [row] = await sql<{ id: string | null }>(`SELECT max(id)::text AS id FROM fuzz_write_log`);
    return Number(row?.id ?? 0);
  },
  async since(mark: number): Promise<string[]> {
    const rows = await sql<{ tbl: string; op: string }>(
      `SELECT tbl, op FROM fuzz_write_log WHERE id > $1 ORDER BY id`,
      [mark],
    );
    return rows.map((row) => `${row.op} ${row.tbl}`);
  },
};

async function tables(): Promise<string[]> {
  const rows = await sql<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  return rows.map((row) => row.name).filter((name) => !EXEMPT_TABLES.includes(name));
}

/**
 * The sandbox providers' call log, emptied at the start of each batch so that reading it stays
 * cheap (the fuzz runs alone: no other test reads it meanwhile).
 */
export const upstreamCalls = {
  forget: () => emulator.forgetCalls(),
  async since(since: number): Promise<string[]> {
    return (await emulator.calls({ since })).map((call) => `${call.provider} ${call.method} ${call.path}`);
  },
};

/** Every secret of the stack's environment: none may appear in any answer. */
export function stackSecrets(): string[] {
  const env = stack.appEnv;
  const fromUrl = (url: string | undefined) => {
    if (!url) return [];
    try {
      const password = decodeURIComponent(new URL(url).password);
      return password ? [password] : [];
    } catch {
      return [];
    }
  };
  const secrets = [
    env.AUTH_SECRET,
    env.CONDUCTOR_SECRET_KEY,
    env.ALTUR_API_KEY,
    env.DIFY_API_KEY,
    env.CRON_SECRET,
    ...(env.LOOKUP_API_TOKENS ?? "").split(","),
    ...fromUrl(env.EMAIL_SERVER),
    ...fromUrl(env.DATABASE_URL),
    ...(env.REDIS_URL ? fromUrl(env.REDIS_URL) : []),
  ];
  return [...new Set(secrets.filter((secret): secret is string => !!secret && secret.length >= 8))];
}

const STACK_TRACE =
  /(?:^|\n|\\n)\s*at [^\n]*?:\d+:\d+|node:internal|webpack-internal:|\/node_modules\/|\.next-test\/server/;

/** Secrets and stack traces in an answer (its status line, headers and body). */
export function leaks(answer: Answer, secrets: string[]): string[] {
  const text = `${answer.headers}\n${answer.body}`;
  const found = secrets
    .filter((secret) => text.includes(secret))
    .map((secret) => `leaks a secret (${secret.slice(0, 6)}…)`);
  const trace = STACK_TRACE.exec(text);
  if (trace) found.push(`holds a stack trace or server path: ${JSON.stringify(trace[0].slice(0, 120))}`);
  return found;
}

/** Whether an envelope says which Conductor request answered (so Conductor was asked). */
export function citesConductor(body: string): boolean {
  return (
    isEnvelope(body) &&
    typeof (JSON.parse(body) as { error: { conductorRequestId?: unknown } }).error.conductorRequestId === "string"
  );
}

/** Whether a body is the error envelope `{"error": {"code", "message", ...}}`. */
export function isEnvelope(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    return typeof parsed.error?.code === "string" && typeof parsed.error.message === "string";
  } catch {
    return false;
  }
}

/** The error code of an envelope, if the body is one. */
export function errorCode(body: string): string | undefined {
  return isEnvelope(body) ? (JSON.parse(body) as { error: { code: string } }).error.code : undefined;
}

/**
 * Codes that report what a provider answered (so the provider was asked): a refusal with one of
 * these is not "bad input" in the sense that must leave no trace upstream.
 */
export const UPSTREAM_ANSWER_CODES = new Set([
  "upstream_invalid_request",
  "upstream_refused",
  "provider_end_user_not_found",
  "integration_not_set_up",
  "still_in_conductor",
  "source_id_conflict",
  "upstream_rate_limited",
  "upstream_conflict",
  "already_linked",
]);

/** Sends one fuzzed request to the app; the answer as text (headers included, for the leak check). */
export async function send(request: FuzzRequest): Promise<Answer> {
  const response = await fetch(`${stack.appOrigin}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: typeof request.body === "string" || request.body === undefined ? request.body : Buffer.from(request.body),
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  const body = request.method === "HEAD" ? "" : await response.text();
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
  return { status: response.status, headers, body };
}

/**
 * The same request over node:http, which accepts a response head of up to 1 MB: fetch gives up on
 * one over 16 KB (a redirect that repeats a 10,000-character path, say), yet the server answered.
 */
export function sendAllowingLargeHeads(request: FuzzRequest): Promise<Answer> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  // node:http frames a DELETE's body with neither Content-Length nor chunking (fetch sends the
  // length): the server would read the body as a second, malformed request and answer that 400.
  const headers = body ? { ...request.headers, "content-length": String(body.length) } : request.headers;
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      `${stack.appOrigin}${request.path}`,
      { method: request.method, headers, maxHeaderSize: 1 << 20, timeout: 30_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: Object.entries(response.headers)
              .map(([name, value]) => `${name}: ${String(value)}`)
              .join("\n"),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** A fuzzed request as a reader can replay it with curl-like precision. */
export function describe(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? ""
      : typeof request.body === "string"
        ? ` body=${JSON.stringify(request.body.length > 300 ? `${request.body.slice(0, 300)}…(${request.body.length} chars)` : request.body)}`
        : ` body=bytes[${Buffer.from(request.body).toString("hex").slice(0, 200)}]`;
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${value.length > 120 ? `${value.slice(0, 120)}…` : value}`)
    .join(" | ");
  return `${request.method} ${request.path.length > 400 ? `${request.path.slice(0, 400)}…` : request.path} [${headers}]${body}`;
}
