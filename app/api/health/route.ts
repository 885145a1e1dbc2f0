import { z } from "zod";
import { checkHealth, healthSchema } from "@/lib/use-cases/health";
import { route } from "@/lib/web/http/route";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

/**
 * Readiness and diagnosis: `down` names every part that does not answer. Only a database outage
 * answers 503: the app serves nothing without it, whereas with mail, Conductor or the rate
 * limiter's store down it still serves what does not need them (a probe that pulled every
 * instance out of rotation for those would turn a partial outage into a whole one).
 */
// Probes may add cache-busting parameters: the query is ignored rather than validated.
export const GET = route(
  {
    allow: "anyone",
    summary: "Each part by name (database, rate-limit store, mail, Conductor) and which are down",
    query: z.looseObject({}),
    answers: {
      200: { description: "The database answers (other parts may be down)", schema: healthSchema },
      503: { description: "The database is down", schema: healthSchema },
    },
  },
  async ({ reply }) => {
    const health = await checkHealth();
    return reply(health.database === "ok" ? 200 : 503, health);
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
