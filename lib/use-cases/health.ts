import "server-only";
import { pingDatabase } from "@/lib/data/health";
import { modes } from "@/lib/platform/env";

/** GET /api/health: whether the database answers, and whether Conductor is live or the sandbox. */
export async function checkHealth() {
  const database = await pingDatabase();
  return { ok: database, database: database ? ("ok" as const) : ("unavailable" as const), conductor: modes.conductor };
}
