/** Altur's `GET /enduser/{id}` (seed 003), with `Authorization: api-key <key>`. */
import "server-only";
import { env, modes } from "@/lib/env";
import { providerGet } from "@/lib/providers/request";
import { SANDBOX_ORIGIN, sandboxFetch } from "@/lib/sandbox/in-app";
import { alturEndUserSchema, alturErrorSchema, type AlturEndUser } from "./schemas";

export const ALTUR_TIMEOUT_MS = 5_000;

export function retrieveAlturEndUser(id: string): Promise<AlturEndUser> {
  const sandbox = modes.altur === "sandbox";
  const base = sandbox ? `${SANDBOX_ORIGIN}/altur/api/v1.0` : env.ALTUR_BASE_URL;
  return providerGet({
    provider: "altur",
    operation: "enduser.retrieve",
    url: `${base}/enduser/${encodeURIComponent(id)}`,
    headers: { authorization: `api-key ${sandbox ? env.SANDBOX_API_KEY : env.ALTUR_API_KEY}` },
    schema: alturEndUserSchema,
    errorMessage: (body) => alturErrorSchema.safeParse(body).data?.message,
    timeoutMs: ALTUR_TIMEOUT_MS,
    fetch: sandbox ? sandboxFetch : undefined,
  });
}
