import { z } from "zod";
import { checkHealth } from "@/lib/use-cases/health";
import { route } from "@/lib/web/http/route";

/** Readiness: the database answers. Never reveals configuration beyond the Conductor mode. */
// Probes may add cache-busting parameters: the query is ignored rather than validated.
export const GET = route({ allow: "anyone", query: z.looseObject({}) }, async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});
