/**
 * Row 9's reference: Postgres alone inserting the upstream end-users and their connections into
 * the empty cache, in one committed transaction, meeting every index and trigger the app's refresh
 * meets. The rows are the list's, sent as arrays in two statements, so what the app's refresh adds
 * over it is its own work: Conductor's list, validation, comparison and chunking.
 */
import pg from "pg";
import type { SandboxEndUser } from "@/lib/sandbox/conductor/store";

const END_USERS = `
  INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "connectionStatus")
  SELECT id, source_id, company_name, email, created_at, timezone('UTC', now()), 'not_started'::"ConnectionStatus"
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamp(3)[]) AS t(id, source_id, company_name, email, created_at)`;

const CONNECTIONS = `
  INSERT INTO "IntegrationConnection" ("id", "endUserId", "integrationSlug", "createdAt", "lastRequestAt", "lastSuccessfulRequestAt")
  SELECT id, end_user_id, slug::"IntegrationSlug", created_at, last_request_at, last_successful_request_at
  FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp(3)[], $5::timestamp(3)[], $6::timestamp(3)[])
       AS t(id, end_user_id, slug, created_at, last_request_at, last_successful_request_at)`;

type Connection = SandboxEndUser["integrationConnections"][number] & { endUserId: string };

/** The fields each statement's `unnest` takes, in its order. */
const END_USER_FIELDS: (keyof SandboxEndUser)[] = ["id", "sourceId", "companyName", "email", "createdAt"];
const CONNECTION_FIELDS: (keyof Connection)[] = [
  "id",
  "endUserId",
  "integrationSlug",
  "createdAt",
  "lastRequestAt",
  "lastSuccessfulRequestAt",
];

/** A statement's parameters: one array per field. */
const fieldArrays = <T>(rows: T[], fields: (keyof T)[]) => fields.map((field) => rows.map((row) => row[field]));

/** Milliseconds to insert `endUsers` into the (empty) cache of `url` and commit; the caller empties it again. */
export async function insertFloorMs(url: string, endUsers: SandboxEndUser[]): Promise<number> {
  const connections: Connection[] = endUsers.flatMap((e) =>
    e.integrationConnections.map((c) => ({ ...c, endUserId: e.id })),
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await client.query("BEGIN");
    await client.query("SET LOCAL jit = off");
    await client.query(END_USERS, fieldArrays(endUsers, END_USER_FIELDS));
    await client.query(CONNECTIONS, fieldArrays(connections, CONNECTION_FIELDS));
    await client.query("COMMIT");
    return performance.now() - started;
  } finally {
    await client.end();
  }
}
