/**
 * Row 1 of `npm run bench`: the lookup of GET /api/end-users/lookup?sourceId=… with nothing but
 * node:http and pg — same bearer token, same SQL, same JSON shape — and no framework, no Prisma,
 * no rate limit. Started by tests/bench/stack.ts with DATABASE_URL, LOOKUP_API_TOKEN and PORT.
 */
import http from "node:http";
import pg from "pg";

// Prisma's DateTime columns are `timestamp(3)` holding UTC.
pg.types.setTypeParser(1114, (value: string) => new Date(`${value.replace(" ", "T")}Z`));

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const authorization = `Bearer ${process.env.LOOKUP_API_TOKEN}`;

const LOOKUP = `
  SELECT e."id", e."sourceId", e."companyName", e."email", e."createdAt", e."syncedAt",
    (SELECT p."externalId" FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND p."provider" = 'altur') AS "altur",
    (SELECT p."externalId" FROM "ProviderEndUser" p WHERE p."endUserId" = e."id" AND p."provider" = 'dify') AS "dify",
    (SELECT o."createdAt" FROM "Offboarding" o WHERE o."endUserId" = e."id") AS "offboardingSince"
  FROM "ConductorEndUser" e
  WHERE e."sourceId" = $1`;

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const error = (code: string) => ({ error: { code, message: code } });

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/ready") return send(res, 200, { ok: (await pool.query("SELECT 1")).rowCount === 1 });
  if (url.pathname !== "/api/end-users/lookup") return send(res, 404, error("not_found"));
  if (req.headers.authorization !== authorization) return send(res, 401, error("unauthenticated"));
  const sourceId = url.searchParams.get("sourceId");
  if (!sourceId) return send(res, 400, error("invalid_request"));
  const [row] = (await pool.query(LOOKUP, [sourceId])).rows as Record<string, unknown>[];
  if (!row) return send(res, 404, error("end_user_not_found"));
  const { altur, dify, ...mapping } = row;
  send(res, 200, { ...mapping, linkedProviders: { altur, dify } });
}

http
  .createServer((req, res) => {
    handle(req, res).catch(() => send(res, 503, error("database_unavailable")));
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
