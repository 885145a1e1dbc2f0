/** The three sandbox providers behind one fetch handler, each under its fixed mount. */
import { createAlturSandbox } from "./altur";
import { createConductorSandbox } from "./conductor/handler";
import type { ConductorSandboxStore } from "./conductor/store";
import { createDifySandbox } from "./dify";
import { json, pathBelow } from "./responses";

export const MOUNTS = {
  conductor: "/conductor/v1",
  altur: "/altur/api/v1.0",
  dify: "/dify/v1",
} as const;

export type SandboxProvider = keyof typeof MOUNTS;
export type Handler = (request: Request) => Promise<Response>;

export function providerFor(url: URL): { provider: SandboxProvider; path: string } | null {
  for (const [provider, mount] of Object.entries(MOUNTS) as [SandboxProvider, string][]) {
    const path = pathBelow(url, mount);
    if (path !== null) return { provider, path };
  }
  return null;
}

export function createSandboxProviders(options: { apiKey: string; conductorStore: ConductorSandboxStore }) {
  const handlers: Record<SandboxProvider, Handler> = {
    conductor: createConductorSandbox({
      apiKey: options.apiKey,
      store: options.conductorStore,
      mount: MOUNTS.conductor,
    }),
    altur: createAlturSandbox({ apiKey: options.apiKey, mount: MOUNTS.altur }),
    dify: createDifySandbox({ apiKey: options.apiKey, mount: MOUNTS.dify }),
  };
  const route: Handler = async (request) => {
    const target = providerFor(new URL(request.url));
    return target ? handlers[target.provider](request) : json(404, { error: "unknown sandbox provider" });
  };
  return { handlers, route };
}
