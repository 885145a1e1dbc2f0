import { z } from "zod";
import { checkHealth } from "@/lib/use-cases/health";
import { route } from "@/lib/web/http/route";

/**
 * Readiness and diagnosis: `down` names every part that does not answer. Only a database outage
 * answers 503: the app serves nothing without it, whereas with mail, Conductor or the rate
 * limiter's store down it still serves what does not need them (a probe that pulled every
 * instance out of rotation for those would turn a partial outage into a whole one).
 */
// Probes may add cache-busting parameters: the query is ignored rather than validated.
export const GET = route({ allow: "anyone", query: z.looseObject({}) }, async () => {
  const health = await checkHealth();
  const status = health.database === "ok" ? 200 : 503;
  return Response.json(health, { status, headers: { "Cache-Control": "no-store" } });
});
