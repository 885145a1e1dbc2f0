/**
 * The sandbox providers the stack runs over HTTP: their fault injection and call log
 * (SANDBOX_FAULTS=1), and the one conductor-node client a test file talks to Conductor with.
 */
import Conductor from "conductor-node";
import type { Fault, SandboxCall } from "@/lib/sandbox/faults";
import { stack } from "./provided";

const origin = stack.emulatorOrigin;

export type CallFilter = Partial<Pick<SandboxCall, "provider" | "method" | "path">> & {
  /** Only calls received at or after this time (ms since the epoch). */
  since?: number;
};

export const emulator = {
  async arm(fault: Partial<Fault> & Pick<Fault, "provider" | "times">): Promise<void> {
    const response = await fetch(`${origin}/_faults`, { method: "POST", body: JSON.stringify(fault) });
    if (response.status !== 201) throw new Error(`arming a fault failed: ${await response.text()}`);
  },
  /** The worst timeout: Conductor creates the next end-user, then never answers the POST. */
  armSilentCreate(): Promise<void> {
    return emulator.arm({
      provider: "conductor",
      method: "POST",
      path: "/end-users",
      afterCommit: true,
      hang: true,
      times: 1,
    });
  },
  async disarm(): Promise<void> {
    await fetch(`${origin}/_faults`, { method: "DELETE" });
  },
  async calls(filter: CallFilter = {}): Promise<SandboxCall[]> {
    const { calls } = (await (await fetch(`${origin}/_calls`)).json()) as { calls: SandboxCall[] };
    return calls.filter(
      (call) =>
        (!filter.provider || call.provider === filter.provider) &&
        (!filter.method || call.method === filter.method) &&
        (!filter.path || call.path === filter.path) &&
        (filter.since === undefined || Date.parse(call.at) >= filter.since),
    );
  },
  async forgetCalls(): Promise<void> {
    await fetch(`${origin}/_calls`, { method: "DELETE" });
  },
  /** Sets what the sandbox Conductor's health check and the end-user's connection say from now on. */
  async setConnection(endUserId: string, state: "connected" | "offline" | "not_set_up"): Promise<void> {
    const response = await fetch(`${origin}/_connections/${endUserId}`, {
      method: "PUT",
      body: JSON.stringify({ state }),
    });
    if (response.status !== 200) throw new Error(`setting the connection failed: ${await response.text()}`);
  },
  conductorUrl: () => `${origin}/conductor/v1`,
  alturUrl: () => `${origin}/altur/api/v1.0`,
  difyUrl: () => `${origin}/dify/v1`,
};

/** conductor-node on the sandbox Conductor with the stack's key; no retries, so every call is seen once. */
export const conductor = new Conductor({ apiKey: stack.secretKey, baseURL: emulator.conductorUrl(), maxRetries: 0 });

/** The end-users Conductor holds for a sourceId. */
export async function upstreamEndUsers(sourceId: string) {
  return (await conductor.endUsers.list()).data.filter((endUser) => endUser.sourceId === sourceId);
}
