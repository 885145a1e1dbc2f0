/**
 * The one configured conductor-node client. In sandbox mode it talks to the sandbox Conductor
 * built into the app (same HTTP requests and answers, served in-process).
 */
import "server-only";
import Conductor from "conductor-node";
import { env, modes } from "@/lib/env";
import { SANDBOX_ORIGIN, sandboxFetch } from "@/lib/sandbox/in-app";

const globalForConductor = globalThis as unknown as { conductorClient?: Conductor };

export function conductor(): Conductor {
  globalForConductor.conductorClient ??=
    modes.conductor === "sandbox"
      ? new Conductor({
          apiKey: env.SANDBOX_API_KEY,
          baseURL: `${SANDBOX_ORIGIN}/conductor/v1`,
          timeout: env.CONDUCTOR_TIMEOUT_MS,
          fetch: sandboxFetch as never,
        })
      : new Conductor({
          apiKey: env.CONDUCTOR_SECRET_KEY,
          baseURL: env.CONDUCTOR_BASE_URL,
          timeout: env.CONDUCTOR_TIMEOUT_MS,
        });
  return globalForConductor.conductorClient;
}

/** Bounds for the three kinds of call. */
export const callOptions = {
  /** Creation: never retried blindly (Conductor has no idempotency key; see lib/onboarding). */
  create: () => ({ maxRetries: 0, timeout: env.CONDUCTOR_TIMEOUT_MS }),
  /** A page or API answer waiting on Conductor: short, one retry, then the cache answers. */
  interactive: () => ({ maxRetries: 1, timeout: Math.min(3_000, env.CONDUCTOR_TIMEOUT_MS) }),
  /** Background reads (refresh, reconcile): the SDK's retries. */
  background: () => ({ maxRetries: 2, timeout: env.CONDUCTOR_TIMEOUT_MS }),
};
