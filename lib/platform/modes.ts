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

type Audience = "operator" | "everyone";

/**
 * Each part of the app that is either simulated here or a real service, named as each way reads.
 * Altur and Dify are linked by operators only, so a customer (or anyone not signed in) is not told
 * a live Conductor app is a sandbox because of them.
 */
const PARTS: { sandboxed: (modes: Modes) => boolean; operatorsOnly?: true; asSandbox: string; asLive: string }[] = [
  {
    sandboxed: (m) => m.database === "embedded",
    asSandbox: "database (embedded PGlite)",
    asLive: "database (Postgres)",
  },
  { sandboxed: (m) => m.conductor === "sandbox", asSandbox: "Conductor", asLive: "Conductor" },
  { sandboxed: (m) => m.altur === "sandbox", operatorsOnly: true, asSandbox: "Altur", asLive: "Altur" },
  { sandboxed: (m) => m.dify === "sandbox", operatorsOnly: true, asSandbox: "Dify", asLive: "Dify" },
  {
    sandboxed: (m) => m.mail === "sandbox-mailbox",
    asSandbox: "mail (sandbox mailbox)",
    asLive: "mail (EMAIL_SERVER)",
  },
];

const partsMet = (audience: Audience) => PARTS.filter((part) => audience === "operator" || !part.operatorsOnly);

/** The simulated parts, as `audience` meets them. */
export const sandboxedParts = (modes: Modes, audience: Audience = "operator"): string[] =>
  partsMet(audience)
    .filter((part) => part.sandboxed(modes))
    .map((part) => part.asSandbox);

/** The real services this server reaches, as `audience` meets them: the other parts. */
export const liveParts = (modes: Modes, audience: Audience = "operator"): string[] =>
  partsMet(audience)
    .filter((part) => !part.sandboxed(modes))
    .map((part) => part.asLive);
