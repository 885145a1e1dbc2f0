/**
 * What the bench writes straight into its database: cached end-users (a quarter in each
 * connection status, with the connections and checks behind it) and signed-in users (a User row
 * and a next-auth database Session each, so no email is needed).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { encodeCursor } from "@/lib/data/cursor";
import { query } from "@/tests/support/database";

// Prisma's DateTime columns are `timestamp(3)` holding UTC, whatever this machine's time zone.
pg.types.setTypeParser(1114, (value: string) => new Date(`${value.replace(" ", "T")}Z`));

export const ZEBRA = "Zebra Holdings";

/**
 * The cached end-users are numbered 1…`total` (10,000 or 100,000), a minute apart. Every 1,000th
 * is a "Zebra Holdings" company: the first ten alone are the 10-row cache, and a search finds at
 * least the 10 rows a page renders in every cache. Their connection status follows i % 4: 0
 * connected (every zebra, so a status filter finds zebras in every cache), 1 not started (no
 * connection), 2 in progress, 3 needs attention.
 */
export const STATUS_OF_ZEBRAS = "connected";
export async function seedCachedEndUsers(url: string, part: "zebras" | "others", total = 10_000): Promise<void> {
  const filter = part === "zebras" ? "i % 1000 = 0 AND i <= 10000" : "(i % 1000 <> 0 OR i > 10000)";
  await query(
    url,
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt",
                                     "connectionStatus", "connectionCheckedAt", "connectionCheckOutcome", "connectionMessage")
     SELECT 'end_usr_bench' || lpad(i::text, 6, '0'), 'bench-src-' || i,
            'Company ' || i || CASE WHEN i % 1000 = 0 THEN ' ${ZEBRA}' ELSE '' END,
            'owner' || i || '@bench.example', timestamp '2025-01-01' + i * interval '1 minute', timezone('UTC', now()),
            (ARRAY['connected', 'not_started', 'in_progress', 'needs_attention'])[i % 4 + 1]::"ConnectionStatus",
            CASE WHEN i % 4 = 3 THEN timestamp '2025-06-01' END,
            CASE WHEN i % 4 = 3 THEN 'connection_error'::"ConnectionCheckOutcome" END,
            CASE WHEN i % 4 = 3 THEN 'Open QuickBooks Desktop and QuickBooks Web Connector, then try again.' END
     FROM generate_series(1, ${total}) AS i WHERE ${filter}`,
  );
  await query(
    url,
    `INSERT INTO "IntegrationConnection" ("id", "endUserId", "integrationSlug", "createdAt", "lastRequestAt", "lastSuccessfulRequestAt")
     SELECT 'int_conn_bench' || lpad(i::text, 6, '0'), 'end_usr_bench' || lpad(i::text, 6, '0'), 'quickbooks_desktop',
            timestamp '2025-01-01' + i * interval '1 minute',
            CASE WHEN i % 4 IN (0, 3) THEN timestamp '2025-05-01' END, CASE WHEN i % 4 IN (0, 3) THEN timestamp '2025-05-01' END
     FROM generate_series(1, ${total}) AS i WHERE ${filter} AND i % 4 <> 1`,
  );
  // What autovacuum does within a minute of a bulk load: statistics for the planner, and the
  // trigram GIN indexes' pending lists merged (unmerged, every search scans them: ~7 ms at 10,000).
  await query(url, `VACUUM ANALYZE "ConductorEndUser"`);
  await query(url, `VACUUM ANALYZE "IntegrationConnection"`);
}

/** The cursor of the row at `offset` (0 = newest), as the app itself encodes it. */
export async function cursorAt(url: string, offset: number): Promise<string> {
  const [row] = await query<{ id: string; createdAt: Date }>(
    url,
    `SELECT "id", "createdAt" FROM "ConductorEndUser" ORDER BY "createdAt" DESC, "id" DESC OFFSET $1 LIMIT 1`,
    [offset],
  );
  if (!row) throw new Error(`no cached end-user at offset ${offset}`);
  return encodeCursor("end-users", row);
}

/** A cursor just above the newest row: the same keyset query as a deep page, returning every row. */
export async function cursorAboveNewest(url: string): Promise<string> {
  const [row] = await query<{ id: string; createdAt: Date }>(
    url,
    `SELECT "id", "createdAt" FROM "ConductorEndUser" ORDER BY "createdAt" DESC LIMIT 1`,
  );
  if (!row) throw new Error("the cache is empty");
  return encodeCursor("end-users", { id: row.id, createdAt: new Date(row.createdAt.getTime() + 1) });
}

export type SignedIn = { id: string; email: string; cookie: string };

/** Users with a live database session each (expiring in 30 days, so next-auth never rewrites it). */
export async function signedInUsers(url: string, label: string, emails: string[]): Promise<SignedIn[]> {
  const users = emails.map((email, i) => ({
    id: `bench_${label}_${i}`,
    email,
    token: randomBytes(24).toString("hex"),
  }));
  await query(
    url,
    `INSERT INTO "User" ("id", "email", "emailVerified") SELECT id, email, timezone('UTC', now()) FROM unnest($1::text[], $2::text[]) AS t(id, email)`,
    [users.map((u) => u.id), users.map((u) => u.email)],
  );
  await query(
    url,
    `INSERT INTO "Session" ("sessionToken", "userId", "expires")
     SELECT token, id, timezone('UTC', now()) + interval '30 days' FROM unnest($1::text[], $2::text[]) AS t(token, id)`,
    [users.map((u) => u.token), users.map((u) => u.id)],
  );
  return users.map(({ id, email, token }) => ({ id, email, cookie: `next-auth.session-token=${token}` }));
}
