/**
 * The sandbox providers inside the app (no CONDUCTOR_SECRET_KEY, or no Altur/Dify key): the
 * vendor clients send their real HTTP requests to this fetch, which answers in-process. The demo's
 * sandbox Conductor keeps its end-users under the data directory so they survive a restart.
 */
import "server-only";
import path from "node:path";
import { fileStore, memoryStore } from "@/lib/sandbox/conductor/store";
import { createSandboxProviders } from "@/lib/sandbox/providers";
import { env } from "@/lib/platform/env";
import { singleton } from "@/lib/platform/singleton";

export const SANDBOX_ORIGIN = "http://sandbox.internal";

const providers = () =>
  singleton("wiring.sandboxProviders", () =>
    createSandboxProviders({
      apiKey: env.SANDBOX_API_KEY,
      // Vercel's file system is read-only: a preview deployment's sandbox lives in the instance.
      conductorStore: env.VERCEL
        ? memoryStore()
        : fileStore(path.join(env.DATA_DIR, "sandbox", "conductor-end-users.jsonl")),
    }),
  );

export async function sandboxFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const { signal: _signal, ...rest } = init;
  return providers().route(new Request(url, rest));
}
