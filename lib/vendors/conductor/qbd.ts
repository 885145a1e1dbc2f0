/** Conductor's QuickBooks Desktop calls the app makes: the health check. */
import "server-only";
import type Conductor from "conductor-node";
import { z } from "zod";
import { call } from "./call";

/**
 * conductor-node 12.43.0's `QbdHealthCheckResponse`. A field Conductor adds later is dropped, as the
 * SDK's own types would ignore it, rather than failing the check.
 */
export const healthCheckAnswerSchema = z.object({
  duration: z.number().nonnegative(),
  status: z.literal("ok"),
});

export function qbdCalls(sdk: Conductor, options: { healthCheckTimeoutMs: number }) {
  return {
    /**
     * Asks the customer's QuickBooks Desktop to answer, through Conductor (which waits up to 60 s).
     * Never retried: each attempt is a request to the customer's QuickBooks, and "not set up" may
     * come as a 409, which the SDK would otherwise repeat twice.
     */
    healthCheck: (params: { conductorEndUserId: string }) =>
      call(
        "qbd.healthCheck",
        healthCheckAnswerSchema,
        { maxRetries: 0, timeout: options.healthCheckTimeoutMs },
        (bounds) => sdk.qbd.healthCheck(params, bounds),
      ),
  };
}
