/** Everything the app asks Conductor, through the one conductor-node client. */
import "server-only";
import type Conductor from "conductor-node";
import { authSessionCalls } from "./auth-sessions";
import { endUserCalls } from "./end-users";
import { qbdCalls } from "./qbd";

export type GatewayOptions = {
  timeoutMs: number;
  /** Bounds the QuickBooks Desktop health check, which Conductor itself lets run up to 60 s. */
  healthCheckTimeoutMs: number;
  /** The project's publishable key, which auth sessions are created with. */
  publishableKey: string;
};

export function conductorGateway(sdk: Conductor, options: GatewayOptions) {
  return {
    ...endUserCalls(sdk, options.timeoutMs),
    authSessions: authSessionCalls(sdk, options),
    qbd: qbdCalls(sdk, options),
  };
}

export type { ConductorResult } from "./call";
