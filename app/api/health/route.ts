import { z } from "zod";
import { pingDatabase } from "@/lib/data/health";
import { modes } from "@/lib/env";
import { route } from "@/lib/http/route";

/** Readiness: the database answers. Never reveals configuration beyond the Conductor mode. */
// Probes may add cache-busting parameters: the query is ignored rather than validated.
export const GET = route({ allow: "anyone", query: z.looseObject({}) }, async () => {
  const database = await pingDatabase();
  return Response.json(
    { ok: database, database: database ? "ok" : "unavailable", conductor: modes.conductor },
    { status: database ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
});
