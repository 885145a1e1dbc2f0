/** Drives the sandbox emulator's fault injection and call log (SANDBOX_FAULTS=1). */
import { inject } from "vitest";
import type { Fault, SandboxCall } from "@/lib/sandbox/faults";

const origin = () => inject("stack").emulatorOrigin;

export const emulator = {
  async arm(fault: Partial<Fault> & Pick<Fault, "provider" | "times">): Promise<void> {
    const response = await fetch(`${origin()}/_faults`, { method: "POST", body: JSON.stringify(fault) });
    if (response.status !== 201) throw new Error(`arming a fault failed: ${await response.text()}`);
  },
  async disarm(): Promise<void> {
    await fetch(`${origin()}/_faults`, { method: "DELETE" });
  },
  async calls(filter: Partial<Pick<SandboxCall, "provider" | "method" | "path">> = {}): Promise<SandboxCall[]> {
    const { calls } = (await (await fetch(`${origin()}/_calls`)).json()) as { calls: SandboxCall[] };
    return calls.filter(
      (call) =>
        (!filter.provider || call.provider === filter.provider) &&
        (!filter.method || call.method === filter.method) &&
        (!filter.path || call.path === filter.path),
    );
  },
  async forgetCalls(): Promise<void> {
    await fetch(`${origin()}/_calls`, { method: "DELETE" });
  },
  /** Sets what the sandbox Conductor's health check and the end-user's connection say from now on. */
  async setConnection(endUserId: string, state: "connected" | "offline" | "not_set_up"): Promise<void> {
    const response = await fetch(`${origin()}/_connections/${endUserId}`, {
      method: "PUT",
      body: JSON.stringify({ state }),
    });
    if (response.status !== 200) throw new Error(`setting the connection failed: ${await response.text()}`);
  },
  conductorUrl: () => `${origin()}/conductor/v1`,
  alturUrl: () => `${origin()}/altur/api/v1.0`,
  difyUrl: () => `${origin()}/dify/v1`,
};
