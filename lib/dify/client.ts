/** Dify's `GET /end-users/{end_user_id}` (seed 004), with a Bearer API key. */
import "server-only";
import { env, modes } from "@/lib/env";
import { providerGet } from "@/lib/providers/request";
import { SANDBOX_ORIGIN, sandboxFetch } from "@/lib/sandbox/in-app";
import { difyEndUserSchema, difyErrorSchema, type DifyEndUser } from "./schemas";

export const DIFY_TIMEOUT_MS = 5_000;

export function retrieveDifyEndUser(id: string): Promise<DifyEndUser> {
  const sandbox = modes.dify === "sandbox";
  const base = sandbox ? `${SANDBOX_ORIGIN}/dify/v1` : env.DIFY_BASE_URL;
  return providerGet({
    provider: "dify",
    operation: "end-users.retrieve",
    url: `${base}/end-users/${encodeURIComponent(id)}`,
    headers: { authorization: `Bearer ${sandbox ? env.SANDBOX_API_KEY : env.DIFY_API_KEY}` },
    schema: difyEndUserSchema,
    errorMessage: (body) => difyErrorSchema.safeParse(body).data?.message,
    timeoutMs: DIFY_TIMEOUT_MS,
    fetch: sandbox ? sandboxFetch : undefined,
  });
}
