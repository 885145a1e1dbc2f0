/** Everything the app asks Conductor, through the one conductor-node client. */
import "server-only";
import type Conductor from "conductor-node";
import { endUserCalls } from "./end-users";

export function conductorGateway(sdk: Conductor, options: { timeoutMs: number }) {
  return { ...endUserCalls(sdk, options.timeoutMs) };
}

export type ConductorGateway = ReturnType<typeof conductorGateway>;
export type { ConductorResult } from "./call";
