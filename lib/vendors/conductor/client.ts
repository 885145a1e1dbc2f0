/** The conductor-node SDK client, built from a transport, and the bounds for each kind of call. */
import "server-only";
import Conductor from "conductor-node";
import type { Transport } from "@/lib/vendors/transport";

export function createConductorSdk(transport: Transport, timeoutMs: number): Conductor {
  return new Conductor({
    apiKey: transport.apiKey,
    baseURL: transport.baseUrl,
    timeout: timeoutMs,
    ...(transport.fetch ? { fetch: transport.fetch as never } : {}),
  });
}

/**
 * How long each kind of call may take, and whether the SDK may retry it. The SDK retries
 * connection errors, 408, 409, 429 and 5xx twice by default, POSTs included, with no idempotency
 * key: every call below says on purpose what it allows.
 */
export function callOptions(timeoutMs: number) {
  return {
    /**
     * Creation and deletion are never retried by the SDK: a blind retry could create a second
     * end-user, or report a delete that landed as a 404. The app settles an unknown outcome itself.
     */
    once: { maxRetries: 0, timeout: timeoutMs },
    /** A page or API answer waiting on Conductor: short, one retry, then the cache answers. */
    interactive: { maxRetries: 1, timeout: Math.min(3_000, timeoutMs) },
    /** Background reads (refresh, reconcile): the SDK's retries. */
    background: { maxRetries: 2, timeout: timeoutMs },
  };
}

export type ReadMode = "interactive" | "background";
