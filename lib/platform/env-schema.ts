/**
 * The environment's schema: every variable the app reads, its default and its limits, and the
 * rules across variables (what production and Vercel require). lib/platform/env.ts is the only
 * place that applies it to process.env; the instrumentation hook applies it once at start
 * (validateAtStart) so the server's request bundles load neither zod nor a second parse.
 */
import { z } from "zod";
import { handOverEnv } from "./env-handover";
import { isLoopback, serverListenAddress } from "./listen-address";

/** A variable set to nothing (`NAME=`) counts as unset. */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());

/**
 * A number written in decimal digits, `.` and more digits where `fraction` allows: Number() would
 * also take 0x20, 1e3, " 30 " and "" (0), none of which anyone means in a setting. Empty is unset.
 */
const numberIn = (limits: z.ZodNumber, options: { fraction?: boolean } = {}) =>
  z
    .string()
    .regex(
      options.fraction ? /^\d+(\.\d+)?$/ : /^\d+$/,
      options.fraction ? "must be a number written in decimal digits" : "must be a whole number written in digits",
    )
    .transform(Number)
    .pipe(limits);
const numberSetting = (limits: z.ZodNumber, fallback: number, options: { fraction?: boolean } = {}) =>
  z.preprocess(unsetIfEmpty, numberIn(limits, options).default(fallback));

const csv = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

/** A URL's host, or a `host` parameter (libpq's way to name a socket folder); a malformed URL is its own field's problem. */
const namesHost = (value: string) =>
  !URL.canParse(value) || new URL(value).hostname !== "" || new URL(value).searchParams.has("host");
/** libpq's modes and node-postgres's own `no-verify`; node-postgres takes any other value for TLS without a word. */
const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full", "no-verify"];
const knownSslMode = (value: string) => {
  const mode = URL.canParse(value) ? new URL(value).searchParams.get("sslmode") : null;
  return mode === null || SSL_MODES.includes(mode);
};
const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" })
  .refine(namesHost, "must name a host")
  .refine(knownSslMode, `must have an sslmode of ${SSL_MODES.join(", ")}, if any`);
/**
 * A key or token: it travels in HTTP headers, which carry printable ASCII only. A zero-width space
 * pasted with a key would fail every request, as though the provider were down.
 */
const headerToken = (prefix: string, minLength: number, message: string) =>
  z.string().regex(new RegExp(`^${prefix}[\\x21-\\x7e]{${minLength},}$`), { message, abort: true });
const INVISIBLE = "no whitespace or invisible character";
/**
 * Obvious stand-ins for a secret that length alone lets through: few different characters
 * (`aaaa…`), a short run repeated (`abcdabcd…`) or a placeholder word. A random value, hex
 * included, is refused by these less than once in a million at the shortest length (16).
 */
const PLACEHOLDER = /change.?me|replace.?me|placeholder|password|example|your.?(secret|token|key)/i;
const repeatsShortRun = (value: string) => {
  for (let run = 1; run <= Math.min(12, value.length / 2); run++)
    if (
      value
        .slice(0, run)
        .repeat(Math.ceil(value.length / run))
        .startsWith(value)
    )
      return true;
  return false;
};
/** What makes `value` a placeholder, or null. */
function placeholderTrait(value: string): string | null {
  if (new Set(value).size < 5) return "it has fewer than 5 different characters";
  if (repeatsShortRun(value)) return "it repeats a short run of characters";
  const word = PLACEHOLDER.exec(value)?.[0];
  return word ? `it holds "${word}"` : null;
}
/** Refuses a placeholder, saying what gives it away; `subject` starts the message ("each token "). */
const generated =
  (subject = "") =>
  (value: string, ctx: z.RefinementCtx) => {
    const trait = placeholderTrait(value);
    if (trait)
      ctx.addIssue({
        code: "custom",
        message: `${subject}must be generated (openssl rand -base64 32), not a placeholder: ${trait}`,
      });
  };
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
const ADDRESS = String.raw`[^\s@<>]+@[^\s@<>.]+(?:\.[^\s@<>.]+)+`;
const SENDER = new RegExp(`^(?:${ADDRESS}|[^<>]*<${ADDRESS}>)$`);
const flag = z.enum(["0", "1", "true", "false"]).transform((value) => value === "1" || value === "true");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    VERCEL: optional(z.string()),
    VERCEL_ENV: optional(z.enum(["production", "preview", "development"])),
    /** The deployment's own host name (Vercel sets it): where a preview's sandbox pages are served. */
    VERCEL_URL: optional(z.string().regex(/^[\w.-]+(:\d+)?$/, "must be a host name")),
    PORT: numberSetting(z.number().int().min(1).max(65535), 3000),
    DATA_DIR: z.string().min(1).default(".data"),
    /** Where `next build` writes (tests build into their own folder and leave `.next` alone). */
    NEXT_DIST_DIR: z.string().min(1).default(".next"),
    /** How often a long-running server (not on Vercel, where a cron does it) runs the reconcile job; 0 = never. */
    RECONCILE_INTERVAL_MINUTES: numberSetting(
      z
        .number()
        .min(0)
        .max(35_791, "must be at most 35791 (a timer's longest interval, about 24.8 days)")
        .refine((minutes) => minutes === 0 || minutes >= 0.01, "must be 0 (off) or at least 0.01 (0.6 s)"),
      10,
      { fraction: true },
    ),
    /**
     * How long the cron route's reconcile spends settling claims and offboardings before it leaves
     * the rest to the next run: the cache refresh after them must also end within maxDuration (300 s).
     */
    RECONCILE_BUDGET_SECONDS: numberSetting(z.number().int().min(1).max(240), 240),

    DATABASE_URL: optional(postgresUrl),
    DATABASE_URL_UNPOOLED: optional(postgresUrl),
    DATABASE_POOL_MAX: optional(numberIn(z.number().int().min(1).max(100))),

    CONDUCTOR_SECRET_KEY: optional(
      headerToken("sk_", 1, `must start with sk_ and contain ${INVISIBLE} (sk_conductor_…)`),
    ),
    CONDUCTOR_BASE_URL: httpUrl.default("https://api.conductor.is/v1"),
    CONDUCTOR_SANDBOX: optional(flag),
    /** `1`: a proxy in front of this server sets x-real-ip / x-forwarded-for; read off Vercel only then. */
    TRUST_PROXY_HEADERS: optional(flag),
    CONDUCTOR_TIMEOUT_MS: numberSetting(z.number().int().min(100).max(120_000), 10_000),
    /** Public by design, yet read on the server only: auth sessions are created there. */
    CONDUCTOR_PUBLISHABLE_KEY: optional(
      headerToken("pk_", 1, `must start with pk_ and contain ${INVISIBLE} (pk_conductor_…)`),
    ),
    /**
     * Conductor waits up to 60 s for QuickBooks Desktop to answer a health check; this leaves it room.
     * At most the 90 s of the functions that run checks, less the 3 s each keeps to answer
     * (lib/platform/function-deadline.ts): a longer wait would be cut there, and pages promise it.
     */
    CONDUCTOR_HEALTH_CHECK_TIMEOUT_MS: numberSetting(
      z.number().int().min(100).max(87_000, "must be at most 87000: checks run in functions limited to 90 s"),
      70_000,
    ),
    /** Lifetime of an emailed connect link; Conductor accepts 15 minutes to 7 days. */
    CONNECT_LINK_EXPIRY_MINUTES: numberSetting(z.number().int().min(15).max(10_080), 1_440),
    CONNECT_LINK_RATE_LIMIT_PER_HOUR: numberSetting(z.number().int().min(1), 5),
    CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE: numberSetting(z.number().int().min(1), 6),
    /** A cached end-user synced this recently answers a read without asking Conductor (0 = always ask). */
    CONDUCTOR_READ_FRESH_SECONDS: numberSetting(z.number().int().min(0).max(3_600), 10),
    /** Reads that ask Conductor for one end-user, per minute and per person; beyond it the cache answers. */
    CONDUCTOR_READ_RATE_LIMIT_PER_MINUTE: numberSetting(z.number().int().min(1), 30),
    /** How long after an unanswered POST Conductor's list is trusted to show whether it landed. */
    CREATE_SETTLE_SECONDS: numberSetting(z.number().int().min(1).max(86_400), 300),

    AUTH_SECRET: optional(
      z
        .string()
        .regex(/^\S{32,}$/, {
          message: "must be at least 32 characters with no whitespace (openssl rand -base64 32)",
          abort: true,
        })
        .superRefine(generated()),
    ),
    AUTH_URL: optional(httpUrl),
    EMAIL_SERVER: optional(
      z
        .url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" })
        .refine(namesHost, "must name a host"),
    ),
    EMAIL_FROM: optional(z.string().regex(SENDER, 'must be an email address, or "Name <address>"')),
    ADMIN_EMAILS: csv(z.email("must be a comma-separated list of email addresses")).transform((emails) =>
      emails.map((email) => email.toLowerCase()),
    ),

    LOOKUP_API_TOKENS: csv(
      headerToken("", 32, `each token must be at least 32 characters with ${INVISIBLE}`).superRefine(
        generated("each token "),
      ),
    ).pipe(z.array(z.string()).max(2, "holds at most two tokens (current and next, for rotation)")),
    LOOKUP_RATE_LIMIT_PER_MINUTE: numberSetting(z.number().int().min(1), 600),
    CREATE_RATE_LIMIT_PER_MINUTE: numberSetting(z.number().int().min(1), 20),
    SIGNIN_RATE_LIMIT_PER_MINUTE: numberSetting(z.number().int().min(1), 10),
    SIGNIN_ADDRESS_LIMIT_PER_HOUR: numberSetting(z.number().int().min(1), 30),
    REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" })),
    CRON_SECRET: optional(
      headerToken(
        "",
        16,
        `must be at least 16 characters with ${INVISIBLE} (Vercel Cron sends it as a bearer token)`,
      ).superRefine(generated()),
    ),

    ALTUR_API_KEY: optional(headerToken("", 1, `must contain ${INVISIBLE}`)),
    ALTUR_BASE_URL: httpUrl.default("https://api.altur.io/api/v1.0"),
    DIFY_API_KEY: optional(headerToken("", 1, `must contain ${INVISIBLE}`)),
    DIFY_BASE_URL: httpUrl.default("https://api.dify.ai/v1"),

    SANDBOX_API_KEY: headerToken("", 1, `must contain ${INVISIBLE}`).default("sk_conductor_sandbox"),
    SANDBOX_PUBLISHABLE_KEY: headerToken("pk_", 1, `must start with pk_ and contain ${INVISIBLE}`).default(
      "pk_conductor_sandbox",
    ),
    SANDBOX_FAULTS: optional(flag),
    EMULATOR_PORT: numberSetting(z.number().int().min(0).max(65535), 4010),
    DEBUG: optional(z.string()),
  })
  .superRefine((env, ctx) => {
    const require = (name: keyof typeof env, why: string) => {
      if (env[name] === undefined) ctx.addIssue({ code: "custom", path: [name], message: `is required ${why}` });
    };
    // Vercel tells its builds and functions which environment they are (VERCEL_ENV, one of its
    // system variables, exposed unless a project turns them off); `vercel build` on a machine of
    // one's own does not. Without it, the stricter rules apply: production's.
    const onVercelProduction = Boolean(env.VERCEL) && (env.VERCEL_ENV ?? "production") === "production";
    // Live Conductor on Vercel: production always, a preview unless it asked for the sandbox.
    const liveOnVercel = Boolean(env.VERCEL) && (onVercelProduction || !env.CONDUCTOR_SANDBOX);
    if (env.VERCEL) {
      require("DATABASE_URL", "on Vercel (the embedded database cannot run there)");
      require("AUTH_SECRET", "on Vercel");
      require("EMAIL_SERVER", "on Vercel (the sandbox mailbox never runs there)");
      if (onVercelProduction)
        require("CRON_SECRET", "on Vercel production (vercel.json schedules the reconcile route)");
      if (onVercelProduction && env.CONDUCTOR_SANDBOX && env.CONDUCTOR_SECRET_KEY)
        ctx.addIssue({
          code: "custom",
          path: ["CONDUCTOR_SANDBOX"],
          message: "must not be set on Vercel production (it replaces live Conductor with the sandbox)",
        });
      if (liveOnVercel)
        require("CONDUCTOR_SECRET_KEY", "on Vercel (set CONDUCTOR_SANDBOX=1 on a preview deployment to use the sandbox)");
    } else if (env.CONDUCTOR_SECRET_KEY) {
      require("EMAIL_SERVER", "with a live CONDUCTOR_SECRET_KEY (the sandbox mailbox only runs in full sandbox mode)");
      if (env.NODE_ENV === "production") require("AUTH_SECRET", "in production");
    }
    // Named with the variable they go with even while that one is missing too: one refusal names
    // everything a first deployment lacks, and says why each is needed here.
    const alongside = (partner: keyof typeof env) => (env[partner] ? `with ${partner}` : `on Vercel, as ${partner} is`);
    if (env.CONDUCTOR_SECRET_KEY || liveOnVercel)
      require("CONDUCTOR_PUBLISHABLE_KEY", `${env.CONDUCTOR_SECRET_KEY ? "with a live CONDUCTOR_SECRET_KEY" : alongside("CONDUCTOR_SECRET_KEY")} (customers connect QuickBooks Desktop through auth sessions made with it)`);
    if (env.EMAIL_SERVER ?? env.VERCEL)
      require("EMAIL_FROM", `${alongside("EMAIL_SERVER")} (the sender of sign-in and setup emails)`);
    for (const [key, url] of LIVE_KEYS) {
      if (env[key] && !secureOrLocal(env[url])) {
        ctx.addIssue({
          code: "custom",
          path: [url],
          message: `must be an https:// URL with a live ${key} (the key travels in every request), unless it is on this machine`,
        });
      }
    }
    if (env.DEBUG === "true" && env.CONDUCTOR_SECRET_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["DEBUG"],
        message:
          "must not be true with a live CONDUCTOR_SECRET_KEY: conductor-node then logs request headers, secret included",
      });
    }
  });

export type Env = z.infer<typeof schema>;

/** Each provider's key, and the variables that only mean something with it. */
const LIVE_KEYS = [
  ["CONDUCTOR_SECRET_KEY", "CONDUCTOR_BASE_URL"],
  ["ALTUR_API_KEY", "ALTUR_BASE_URL"],
  ["DIFY_API_KEY", "DIFY_BASE_URL"],
] as const;

/** Whether a base URL may carry a key; a malformed one is already refused as its own field's problem. */
function secureOrLocal(url: string): boolean {
  if (!URL.canParse(url)) return true;
  const { protocol, hostname } = new URL(url);
  return protocol === "https:" || isLoopback(hostname);
}

const given = (source: Record<string, string | undefined>, name: string) => (source[name] ?? "") !== "";

/**
 * Rules on what was given rather than on what it parses to: a provider configured but for its
 * key would run on the sandbox unannounced, and a server others can reach needs real mail and its
 * public address.
 */
function startProblems(source: Record<string, string | undefined>, listensOn: string | null): string[] {
  const problems: string[] = [];
  const sandboxAsked = ["1", "true"].includes(source.CONDUCTOR_SANDBOX ?? "");
  const companions = { CONDUCTOR_SECRET_KEY: ["CONDUCTOR_PUBLISHABLE_KEY"], ALTUR_API_KEY: [], DIFY_API_KEY: [] };
  for (const [key, url] of LIVE_KEYS) {
    if (given(source, key) || (key === "CONDUCTOR_SECRET_KEY" && sandboxAsked)) continue;
    const set = [...companions[key], url].filter((name) => given(source, name));
    if (set.length)
      problems.push(
        `${key} is required when ${set.join(" and ")} ${set.length > 1 ? "are" : "is"} set (without it the app would use its sandbox instead, unannounced)`,
      );
  }
  if (given(source, "EMAIL_FROM") && !given(source, "EMAIL_SERVER") && !source.VERCEL)
    problems.push(
      "EMAIL_SERVER is required when EMAIL_FROM is set (without it sign-in links would go to the sandbox mailbox instead, unannounced)",
    );
  // The migrator may be given the direct URL alone; a server never.
  if (listensOn !== null && given(source, "DATABASE_URL_UNPOOLED") && !given(source, "DATABASE_URL"))
    problems.push(
      "DATABASE_URL is required when DATABASE_URL_UNPOOLED is set (without it the app would keep its data in the embedded database, while migrations go to DATABASE_URL_UNPOOLED)",
    );
  // `next start` off Vercel: the rules below are for the servers people use.
  const productionServer = listensOn !== null && !source.VERCEL && source.NODE_ENV === "production";
  // Off Vercel, a production server with a live key serves real customers, wherever it listens
  // (127.0.0.1 behind a reverse proxy, say).
  const liveProductionServer = productionServer && given(source, "CONDUCTOR_SECRET_KEY");
  if (liveProductionServer && sandboxAsked)
    problems.push(
      "CONDUCTOR_SANDBOX must not be set next to a live CONDUCTOR_SECRET_KEY on a production server (it would replace live Conductor with the sandbox; it is for Vercel preview deployments)",
    );
  if (liveProductionServer && !sandboxAsked && isLoopback(listensOn) && !given(source, "AUTH_URL"))
    problems.push(
      "AUTH_URL is required on a production server with a live CONDUCTOR_SECRET_KEY (customers' sign-in and setup links are built from it; without it they point at http://localhost)",
    );
  // The sign-in links it mails carry their token in an address that starts with AUTH_URL.
  if (productionServer && given(source, "AUTH_URL") && !secureOrLocal(source.AUTH_URL!))
    problems.push(
      "AUTH_URL must be an https:// URL on a production server, unless it is on this machine: the sign-in links built from it carry their token",
    );
  // The embedded database is the demo's: one process's PGlite in DATA_DIR, not a server for real
  // customers' data. Named by what makes this server serve them.
  const realPeopleBy = [
    given(source, "CONDUCTOR_SECRET_KEY") && !sandboxAsked ? "a live CONDUCTOR_SECRET_KEY" : null,
    given(source, "EMAIL_SERVER") ? "real mail (EMAIL_SERVER)" : null,
    listensOn !== null && !isLoopback(listensOn)
      ? `an address beyond 127.0.0.1 (${listensOn || "every interface"})`
      : null,
  ].filter(Boolean);
  if (
    productionServer &&
    realPeopleBy.length > 0 &&
    !given(source, "DATABASE_URL") &&
    !given(source, "DATABASE_URL_UNPOOLED")
  )
    problems.push(
      `DATABASE_URL is required on a production server with ${realPeopleBy.join(" and ")}: the embedded database is the demo's, one process's PGlite in DATA_DIR`,
    );
  // Real people sign in with the links it mails: the secret generated into DATA_DIR would sign them
  // with a key no other instance, nor this one after a redeploy, holds.
  const mailingProductionServer = productionServer && isLoopback(listensOn) && given(source, "EMAIL_SERVER");
  if (mailingProductionServer && !given(source, "AUTH_SECRET"))
    problems.push(
      "AUTH_SECRET is required on a production server that sends real mail (EMAIL_SERVER): the secret generated into DATA_DIR is this machine's alone",
    );
  // Said once: a live key asks for it above.
  if (mailingProductionServer && !given(source, "AUTH_URL") && !(liveProductionServer && !sandboxAsked))
    problems.push(
      "AUTH_URL is required on a production server that sends real mail (EMAIL_SERVER): the sign-in links it mails are built from it; without it they point at http://localhost",
    );
  // The mailbox hands out sign-in links, operators' included, to whoever can open it: a server
  // others can reach needs a real email server, and the address its links point at.
  if (listensOn !== null && !isLoopback(listensOn) && !source.VERCEL) {
    const where = listensOn || "every interface";
    if (!given(source, "EMAIL_SERVER"))
      problems.push(
        `EMAIL_SERVER is required when the server listens on ${where} (the sandbox mailbox is only for a server bound to 127.0.0.1, as npm run demo is)`,
      );
    if (!given(source, "AUTH_URL"))
      problems.push(
        `AUTH_URL is required when the server listens on ${where} (sign-in links are built from it; without it they point at http://localhost)`,
      );
    if (!given(source, "AUTH_SECRET"))
      problems.push(
        `AUTH_SECRET is required when the server listens on ${where} (the secret generated into DATA_DIR is this machine's alone: a second instance would refuse its sign-in links)`,
      );
  }
  return problems;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "InvalidEnvironmentError";
  }
}

/**
 * The variables of `source`, validated; `listensOn` is the server's address (serverListenAddress),
 * which decides whether the sandbox mailbox may stand in for an email server.
 */
export function parseEnv(source: Record<string, string | undefined>, listensOn: string | null = null): Env {
  const result = schema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`);
  problems.push(...startProblems(source, listensOn));
  if (result.success && !problems.length) return result.data;
  throw new InvalidEnvironmentError(problems);
}

/** The variables of `source` for a process started with `argv` (whose listen address parseEnv checks). */
export function parseProcessEnv(source: Record<string, string | undefined>, argv = process.argv): Env {
  return parseEnv(source, serverListenAddress(argv));
}

/**
 * Validates the server's environment before it takes requests and hands the result to every
 * bundle of this process (throws InvalidEnvironmentError, as parseEnv does).
 */
export function validateAtStart(source: Record<string, string | undefined>, argv = process.argv): Env {
  return handOverEnv(parseProcessEnv(source, argv));
}
