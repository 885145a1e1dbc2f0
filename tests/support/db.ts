/** Direct reads of the test database, to count what the app wrote. */
import { inject } from "vitest";
import { query } from "./database";

export function sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return query<T>(inject("stack").databaseUrl, text, params);
}

export async function count(text: string, params: unknown[] = []): Promise<number> {
  const [row] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM (${text}) AS t`, params);
  return Number(row!.n);
}

export async function userIdFor(email: string): Promise<string> {
  const [row] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}
