/**
 * The composition root for vendors: each client gets its transport here, the live API when its
 * key is configured and the in-app sandbox otherwise. The only module that imports the sandbox.
 */
import "server-only";
import { alturClient } from "@/lib/vendors/altur/client";
import { createConductorSdk } from "@/lib/vendors/conductor/client";
import { conductorGateway } from "@/lib/vendors/conductor/gateway";
import { difyClient } from "@/lib/vendors/dify/client";
import type { Transport } from "@/lib/vendors/transport";
import { env, modes } from "@/lib/platform/env";
import { singleton } from "@/lib/platform/singleton";
import type { Vendor } from "@/lib/platform/vendors";
import { MOUNTS } from "@/lib/sandbox/providers";
import { SANDBOX_ORIGIN, sandboxFetch } from "./in-app-sandbox";

const LIVE: Record<Vendor, () => { baseUrl: string; apiKey: string | undefined }> = {
  conductor: () => ({ baseUrl: env.CONDUCTOR_BASE_URL, apiKey: env.CONDUCTOR_SECRET_KEY }),
  altur: () => ({ baseUrl: env.ALTUR_BASE_URL, apiKey: env.ALTUR_API_KEY }),
  dify: () => ({ baseUrl: env.DIFY_BASE_URL, apiKey: env.DIFY_API_KEY }),
};

export function transportFor(vendor: Vendor): Transport {
  const live = LIVE[vendor]();
  if (modes[vendor] === "live" && live.apiKey) return { baseUrl: live.baseUrl, apiKey: live.apiKey };
  return { baseUrl: `${SANDBOX_ORIGIN}${MOUNTS[vendor]}`, apiKey: env.SANDBOX_API_KEY, fetch: sandboxFetch };
}

/** The SDK client (and its connection pool) is shared by the process; the gateway around it is cheap. */
const conductorSdk = () =>
  singleton("wiring.conductorSdk", () => createConductorSdk(transportFor("conductor"), env.CONDUCTOR_TIMEOUT_MS));

/** Live Conductor takes the project's publishable key; the sandbox accepts its own. */
const publishableKey = () =>
  modes.conductor === "live" && env.CONDUCTOR_PUBLISHABLE_KEY
    ? env.CONDUCTOR_PUBLISHABLE_KEY
    : env.SANDBOX_PUBLISHABLE_KEY;

export const conductor = () =>
  conductorGateway(conductorSdk(), {
    timeoutMs: env.CONDUCTOR_TIMEOUT_MS,
    healthCheckTimeoutMs: env.CONDUCTOR_HEALTH_CHECK_TIMEOUT_MS,
    publishableKey: publishableKey(),
  });
export const altur = () => alturClient(transportFor("altur"));
export const dify = () => difyClient(transportFor("dify"));
