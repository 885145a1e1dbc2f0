/** The three sandbox providers behind one fetch handler, each under its fixed mount. */
import { alturError, createAlturSandbox } from "./altur";
import { createAuthFlowPage } from "./conductor/auth-flow-page";
import { conductorError, conductorFaultResponse } from "./conductor/errors";
import { createConductorSandbox } from "./conductor/handler";
import type { ConductorSandboxStore } from "./conductor/store";
import { createDifySandbox, difyError } from "./dify";
import { json, pathBelow } from "./responses";

export const MOUNTS = {
  conductor: "/conductor/v1",
  altur: "/altur/api/v1.0",
  dify: "/dify/v1",
} as const;

/** Where the standalone emulator serves the sandbox Conductor's auth-flow page. */
export const AUTH_FLOW_MOUNT = "/conductor/connect";

export type SandboxProvider = keyof typeof MOUNTS;
export type Handler = (request: Request) => Promise<Response>;

export function providerFor(url: URL): { provider: SandboxProvider; path: string } | null {
  for (const [provider, mount] of Object.entries(MOUNTS) as [SandboxProvider, string][]) {
    const path = pathBelow(url, mount);
    if (path !== null) return { provider, path };
  }
  return null;
}

/**
 * What a provider answers for a request its handler never sees: a method fetch cannot carry
 * (TRACE), as an unknown route (404), or a failure of the sandbox itself (500), in its own shape.
 */
export function unhandledAnswer(url: URL, method: string, status: 404 | 500): Response {
  const target = providerFor(url);
  if (target?.provider === "conductor")
    return status === 500
      ? conductorFaultResponse(500)
      : conductorError(404, "INVALID_REQUEST_ERROR", "ROUTE_NOT_FOUND", `Unknown route: ${method} ${target.path}.`);
  if (target?.provider === "altur") return alturError(status, status === 500 ? "Internal server error." : "Not found.");
  if (target?.provider === "dify")
    return status === 500
      ? difyError(500, "internal_server_error", "The server encountered an internal error.")
      : difyError(404, "not_found", "The requested URL was not found on the server.");
  return json(status, { error: status === 500 ? "sandbox failure" : "unknown sandbox provider" });
}

export type SandboxOptions = {
  apiKey: string;
  publishableKey: string;
  conductorStore: ConductorSandboxStore;
  /** Where browsers reach the auth-flow page: its mount, and the public origin (else the request's). */
  authFlow?: { mount: string; origin: () => string };
};

export function createSandboxProviders(options: SandboxOptions) {
  const authFlowMount = options.authFlow?.mount ?? AUTH_FLOW_MOUNT;
  const authFlow = createAuthFlowPage({
    store: options.conductorStore,
    publishableKey: options.publishableKey,
    mount: authFlowMount,
  });
  const handlers: Record<SandboxProvider, Handler> = {
    conductor: createConductorSandbox({
      apiKey: options.apiKey,
      publishableKey: options.publishableKey,
      store: options.conductorStore,
      mount: MOUNTS.conductor,
      authFlowBaseUrl: (request) => `${options.authFlow?.origin() ?? new URL(request.url).origin}${authFlowMount}`,
    }),
    altur: createAlturSandbox({ apiKey: options.apiKey, mount: MOUNTS.altur }),
    dify: createDifySandbox({ apiKey: options.apiKey, mount: MOUNTS.dify }),
  };
  const route: Handler = async (request) => {
    const url = new URL(request.url);
    const target = providerFor(url);
    if (target) return handlers[target.provider](request);
    if (pathBelow(url, authFlowMount) !== null) return authFlow(request);
    return json(404, { error: "unknown sandbox provider" });
  };
  return { handlers, route, authFlow };
}
