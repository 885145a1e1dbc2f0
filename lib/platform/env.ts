/**
 * The only reader of process.env, validated once per process against lib/platform/env-schema.ts
 * (next.config.mjs validates it at build, so a bad deployment fails there too). A server's
 * instrumentation hook validates it before the first request and leaves the result here; anywhere
 * else (the build, tests, the CLI) this module validates it when first imported. The modes the
 * app runs in are derived from it in lib/platform/modes.ts.
 */
import { handedOverEnv } from "./env-handover";
import type { Env } from "./env-schema";
import { deriveModes } from "./modes";

export type { Env };
export { liveParts, sandboxedParts, type Modes } from "./modes";

// Read from the hook's hand-over, a server's request bundles load no validator at all.
export const env: Env = handedOverEnv<Env>() ?? (await import("./env-schema")).parseProcessEnv(process.env);
export const modes = deriveModes(env);

// next-auth v4 reads its public origin from NEXTAUTH_URL; it is derived here so the rest of the
// app never touches process.env.
if (typeof window === "undefined" && modes.authUrl && !process.env.NEXTAUTH_URL) {
  process.env.NEXTAUTH_URL = modes.authUrl;
}
