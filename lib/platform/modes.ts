/** The modes the app runs in, derived from the validated environment here and nowhere else. */
import type { Env } from "./env-schema";

export function deriveModes(env: Env) {
  // CONDUCTOR_SANDBOX=1 wins over a key (a key set for every environment reaches previews too);
  // production refuses it (env-schema.ts).
  const conductorSandbox = !env.CONDUCTOR_SECRET_KEY || env.CONDUCTOR_SANDBOX === true;
  return {
    database: env.DATABASE_URL ? ("external" as const) : ("embedded" as const),
    conductor: conductorSandbox ? ("sandbox" as const) : ("live" as const),
    altur: env.ALTUR_API_KEY ? ("live" as const) : ("sandbox" as const),
    dify: env.DIFY_API_KEY ? ("live" as const) : ("sandbox" as const),
    mail: env.EMAIL_SERVER ? ("smtp" as const) : ("sandbox-mailbox" as const),
    /** The public origin magic links point at; on Vercel the forwarded host is trusted instead. */
    authUrl: env.AUTH_URL ?? (env.VERCEL ? undefined : `http://localhost:${env.PORT}`),
  };
}

export type Modes = ReturnType<typeof deriveModes>;

/**
 * The simulated parts, as `audience` meets them: Altur and Dify are linked by operators only, so a
 * customer (or anyone not signed in) is not told a live Conductor app is a sandbox because of them.
 */
export function sandboxedParts(modes: Modes, audience: "operator" | "everyone" = "operator"): string[] {
  const parts: string[] = [];
  if (modes.database === "embedded") parts.push("database (embedded PGlite)");
  if (modes.conductor === "sandbox") parts.push("Conductor");
  if (modes.altur === "sandbox" && audience === "operator") parts.push("Altur");
  if (modes.dify === "sandbox" && audience === "operator") parts.push("Dify");
  if (modes.mail === "sandbox-mailbox") parts.push("mail (sandbox mailbox)");
  return parts;
}

/** The real services this server reaches, as `audience` meets them: each part sandboxedParts does not name. */
export function liveParts(modes: Modes, audience: "operator" | "everyone" = "operator"): string[] {
  const parts: string[] = [];
  if (modes.database !== "embedded") parts.push("database (Postgres)");
  if (modes.conductor !== "sandbox") parts.push("Conductor");
  if (modes.altur !== "sandbox" && audience === "operator") parts.push("Altur");
  if (modes.dify !== "sandbox" && audience === "operator") parts.push("Dify");
  if (modes.mail !== "sandbox-mailbox") parts.push("mail (EMAIL_SERVER)");
  return parts;
}
