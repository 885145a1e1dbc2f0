/**
 * What the offboarding tests do and look at: an operator's DELETE, the calls Conductor received
 * for an end-user, its audit actions, its row (tombstone or live) and its pending offboarding, and
 * one left with its DELETE sent.
 * `signInOperator` in a file's beforeAll gives `operator()` its client.
 */
import { h, type HttpClient } from "../../support/harness";

let client: HttpClient | undefined;

export async function signInOperator(): Promise<void> {
  client = await h.operator();
}

export function operator(): HttpClient {
  if (!client) throw new Error("signInOperator() has not run (call it in beforeAll)");
  return client;
}

export const offboard = (id: string, by: HttpClient = operator()) =>
  by.fetch(`/api/end-users/${id}`, { method: "DELETE" });
/** The list's "Mark offboarded" for an end-user flagged missing upstream, as a server action. */
export const markOffboarded = (id: string, by: HttpClient = operator()) =>
  h.actions.call(
    by,
    "/end-users",
    h.actions.id("app/end-users/actions.ts", "markOffboardedAction"),
    { endUserId: id },
    { previousState: h.actions.idleState },
  );
export const deletesOf = (id: string) =>
  h.emulator.calls({ provider: "conductor", method: "DELETE", path: `/end-users/${id}` });
export const retrievesOf = (id: string) =>
  h.emulator.calls({ provider: "conductor", method: "GET", path: `/end-users/${id}` });
export const actionsOf = async (id: string) =>
  (await h.sql<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "endUserId" = $1 ORDER BY at, id`, [id])).map(
    (row) => row.action,
  );
export const offboardedEvents = (id: string) =>
  h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'END_USER_OFFBOARDED'`, [id]);
export const row = async (id: string) =>
  (
    await h.sql<{ deletedAt: Date | null; deletedBy: string | null; userId: string | null }>(
      `SELECT "deletedAt", "deletedBy", "userId" FROM "ConductorEndUser" WHERE id = $1`,
      [id],
    )
  )[0]!;
export const pending = (id: string) => h.count(`SELECT 1 FROM "Offboarding" WHERE "endUserId" = $1`, [id]);
export const inConductor = async (id: string) =>
  (await h.conductor.endUsers.list()).data.some((endUser) => endUser.id === id);

/** As an offboarding leaves it between sending its DELETE and writing the tombstone, its lease held for a minute. */
export const deleteUnderWay = (id: string) =>
  h.sql(
    `INSERT INTO "Offboarding" ("endUserId", "requestedBy", "attempts", "leaseToken", "leaseExpiresAt", "deleteStartedAt", "createdAt", "updatedAt")
     VALUES ($1, $2, 1, 'held', now() + interval '1 minute', now(), now(), now())`,
    [id, h.stack.operatorEmail],
  );
