/**
 * The sandbox providers inside the app (no CONDUCTOR_SECRET_KEY, or no Altur/Dify key): the
 * vendor clients send their real HTTP requests to this fetch, which answers in-process. The demo's
 * sandbox Conductor keeps its end-users and auth sessions under the data directory so they survive
 * a restart, and its auth-flow page is served by the app itself, at AUTH_FLOW_PATH.
 */
import "server-only";
import path from "node:path";
import { fileStore, memoryStore } from "@/lib/sandbox/conductor/store";
import { createSandboxProviders } from "@/lib/sandbox/providers";
import { env, modes } from "@/lib/platform/env";
import { singleton } from "@/lib/platform/singleton";

export const SANDBOX_ORIGIN = "http://sandbox.internal";

/** Where the app serves the sandbox Conductor's auth-flow page (app/sandbox/conductor/connect). */
export const AUTH_FLOW_PATH = "/sandbox/conductor/connect";

/** The origin browsers reach the app at: the auth-flow URLs the sandbox hands out point there. */
const publicOrigin = () =>
  modes.authUrl ?? (env.VERCEL_URL ? `https://${env.VERCEL_URL}` : `http://localhost:${env.PORT}`);

const providers = () =>
  singleton("wiring.sandboxProviders", () =>
    createSandboxProviders({
      apiKey: env.SANDBOX_API_KEY,
      publishableKey: env.SANDBOX_PUBLISHABLE_KEY,
      // Vercel's file system is read-only: a preview deployment's sandbox lives in the instance.
      conductorStore: env.VERCEL
        ? memoryStore()
        : fileStore(path.join(env.DATA_DIR, "sandbox", "conductor-end-users.jsonl")),
      authFlow: { mount: AUTH_FLOW_PATH, origin: publicOrigin },
    }),
  );

export async function sandboxFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const { signal: _signal, ...rest } = init;
  return providers().route(new Request(url, rest));
}

/**
 * The sandbox Conductor's auth-flow page, for the app's route under AUTH_FLOW_PATH; null when
 * Conductor is live (the real flow is Conductor's own page). `nonce` is the page's CSP nonce.
 */
export async function sandboxAuthFlow(request: Request, nonce: string | undefined): Promise<Response | null> {
  if (modes.conductor !== "sandbox") return null;
  return providers().authFlow(request, { nonce });
}
