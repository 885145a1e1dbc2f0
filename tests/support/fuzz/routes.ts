/**
 * One fuzz surface per route handler file under app/: its methods, path parameters, query
 * parameters and JSON body. `routeFiles()` reads app/ itself, so a route without a surface here
 * (or a method a surface does not know) fails the suite instead of going untested.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { alnum, hostileJson, hostileText, objectWith, pathSegment, queryString } from "./hostile";
import { requestBody, requestHeaders, type FuzzContext, type FuzzRequest } from "./requests";

type Arb = fc.Arbitrary<string>;

export type RouteSurface = {
  /** The methods the file exports. */
  methods: string[];
  /** The path without its query, percent-encoded. */
  path: (ctx: FuzzContext) => Arb;
  /** Valid-looking values of each query parameter the route reads. */
  query?: (ctx: FuzzContext) => Record<string, Arb>;
  /** Valid-looking values of each JSON body field, for the methods that take a body. */
  body?: (ctx: FuzzContext) => Record<string, Arb>;
  /** Answers in the error envelope (next-auth's and the sandbox's pages speak their own formats). */
  envelope: boolean;
};

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

const endUserId = (ctx: FuzzContext): Arb =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(ctx.ownEndUserId) },
    { weight: 2, arbitrary: fc.constant(ctx.otherEndUserId) },
    { weight: 2, arbitrary: alnum(1, 30).map((id) => `end_usr_${id}`) },
    { weight: 1, arbitrary: fc.constantFrom("end_usr_", `${ctx.ownEndUserId}x`, ctx.ownEndUserId.toUpperCase()) },
  );
const provider: Arb = fc.constantFrom("altur", "dify", "conductor", "ALTUR", "altur ", "ａｌｔｕｒ");
const externalId: Arb = fc.oneof(fc.uuid({ version: 4 }), fc.uuid(), alnum(1, 40));
const email: Arb = fc.oneof(fc.emailAddress(), fc.constantFrom("ops@example.test", "system", "OPS@EXAMPLE.TEST"));
const instant: Arb = fc.oneof(
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
  fc.constantFrom("0000-01-01", "0000-01-01T00:00:00Z", "2026-11-01T09:30:00+14:00", "2026-02-30"),
);
const cursor: Arb = fc.oneof(
  fc
    .tuple(
      fc.oneof(fc.constantFrom("end-users", "audit"), hostileText),
      fc.oneof(instant, hostileText),
      fc.oneof(
        alnum(1, 20).map((id) => `end_usr_${id}`),
        hostileText,
      ),
    )
    .map(([list, at, id]) => Buffer.from(JSON.stringify([list, at, id])).toString("base64url")),
  hostileJson.map((json) => Buffer.from(json).toString("base64url")),
);
const limit: Arb = fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.constantFrom("1.5", "1e2", "0x10", " 5"));
const sourceId: Arb = fc.oneof(alnum(1, 40), fc.uuid(), fc.constantFrom("ops@example.test"));
const companyName: Arb = fc.oneof(fc.lorem({ maxCount: 4 }), alnum(1, 40));
const auditActions: Arb = fc.constantFrom("END_USER_CREATED", "END_USER_OFFBOARDED", "CACHE_REFRESHED", "created");

const idPath = (ctx: FuzzContext, suffix = "") =>
  pathSegment(endUserId(ctx)).map((id) => `/api/end-users/${id}${suffix}`);

export const routeSurfaces: Record<string, RouteSurface> = {
  "app/api/[...path]/route.ts": {
    methods: ALL_METHODS,
    path: () =>
      fc
        .oneof(
          fc.constantFrom("nope", "end-users/x/y/z", "auth", "audit.json", "health/x", "openapi.json"),
          fc
            .array(pathSegment(fc.constantFrom("end-users", "v1", "x")), { minLength: 1, maxLength: 3 })
            .map((s) => s.join("/")),
        )
        .map((rest) => `/api/${rest}`),
    query: () => ({ id: alnum(1, 10) }),
    body: () => ({ id: alnum(1, 10) }),
    envelope: true,
  },
  "app/api/audit.csv/route.ts": {
    methods: ["GET"],
    path: () => fc.constant("/api/audit.csv"),
    query: (ctx) => auditQuery(ctx),
    envelope: true,
  },
  "app/api/audit/route.ts": {
    methods: ["GET"],
    path: () => fc.constant("/api/audit"),
    query: (ctx) => auditQuery(ctx),
    envelope: true,
  },
  "app/api/auth/[...nextauth]/route.ts": {
    methods: ["GET", "POST"],
    path: () =>
      fc
        .oneof(
          fc.constantFrom(
            "csrf",
            "session",
            "providers",
            "signin",
            "signin/email",
            "callback/email",
            "signout",
            "error",
            "verify-request",
            "_log",
          ),
          pathSegment(fc.constantFrom("signin", "callback", "email", "..")),
        )
        .map((action) => `/api/auth/${action}`),
    query: () => ({
      callbackUrl: fc.constantFrom(
        "/onboarding",
        "//evil.example/x",
        "/%09/evil.example/x",
        "https://evil.example",
        "/\\evil",
      ),
      token: alnum(10, 64),
      email,
      error: fc.constantFrom("Verification", "RateLimited", "AccessDenied"),
    }),
    body: () => ({
      email,
      csrfToken: alnum(10, 64),
      callbackUrl: fc.constantFrom("/onboarding", "//evil.example/x", "http://localhost/x"),
      json: fc.constantFrom("true", "1"),
    }),
    envelope: false,
  },
  "app/api/openapi.json/route.ts": {
    methods: ["GET"],
    path: () => fc.constant("/api/openapi.json"),
    query: () => ({ v: alnum(1, 10) }),
    envelope: true,
  },
  "app/api/cron/reconcile/route.ts": {
    methods: ["GET"],
    path: () => fc.constant("/api/cron/reconcile"),
    query: () => ({ dryRun: fc.constantFrom("1", "true") }),
    envelope: true,
  },
  "app/api/end-users/[id]/auth-sessions/route.ts": {
    methods: ["POST"],
    path: (ctx) => idPath(ctx, "/auth-sessions"),
    body: () => ({ endUserId: alnum(1, 10), publishableKey: alnum(1, 10) }),
    envelope: true,
  },
  "app/api/end-users/[id]/connect-link/route.ts": {
    methods: ["POST"],
    path: (ctx) => idPath(ctx, "/connect-link"),
    body: () => ({ email }),
    envelope: true,
  },
  "app/api/end-users/[id]/connection/check/route.ts": {
    methods: ["POST"],
    path: (ctx) => idPath(ctx, "/connection/check"),
    body: () => ({ force: fc.constantFrom("true") }),
    envelope: true,
  },
  "app/api/end-users/[id]/connection/route.ts": {
    methods: ["GET"],
    path: (ctx) => idPath(ctx, "/connection"),
    query: () => ({ fresh: fc.constantFrom("1") }),
    envelope: true,
  },
  "app/api/end-users/[id]/providers/[provider]/route.ts": {
    methods: ["GET", "PUT", "DELETE"],
    path: (ctx) =>
      fc
        .tuple(pathSegment(endUserId(ctx)), pathSegment(provider))
        .map(([id, name]) => `/api/end-users/${id}/providers/${name}`),
    body: () => ({ externalId }),
    envelope: true,
  },
  "app/api/end-users/[id]/route.ts": {
    methods: ["GET", "DELETE"],
    path: (ctx) => idPath(ctx),
    query: () => ({
      cache: fc.constantFrom("only", "none", "ONLY"),
      maxAge: fc.constantFrom("0", "10", "3600", "3601", "-1", "1e2"),
    }),
    envelope: true,
  },
  "app/api/end-users/lookup/route.ts": {
    methods: ["GET"],
    path: () => fc.constant("/api/end-users/lookup"),
    query: (ctx) => ({
      sourceId,
      id: fc.oneof(endUserId(ctx), externalId),
      provider,
    }),
    envelope: true,
  },
  "app/api/end-users/route.ts": {
    methods: ["GET", "POST"],
    path: () => fc.constant("/api/end-users"),
    query: () => ({
      q: fc.oneof(companyName, hostileText),
      status: fc.constantFrom("not_started", "in_progress", "connected", "needs_attention", "deleted"),
      cursor,
      limit,
      include: fc.constantFrom("deleted", "all"),
    }),
    body: () => ({ companyName, email, sourceId }),
    envelope: true,
  },
  "app/api/health/live/route.ts": {
    methods: ["GET"],
    path: () => fc.constant("/api/health/live"),
    query: () => ({ t: alnum(1, 10) }),
    envelope: true,
  },
  "app/api/health/route.ts": {
    methods: ["GET"],
    path: () => fc.constant("/api/health"),
    query: () => ({ t: alnum(1, 10), probe: fc.constantFrom("db", "1") }),
    envelope: true,
  },
  "app/signin/email/route.ts": {
    methods: ["POST"],
    path: () => fc.constant("/signin/email"),
    body: () => ({ email, callbackUrl: fc.constantFrom("/onboarding", "//evil.example/x", "https://evil.example") }),
    envelope: true,
  },
  "app/sandbox/conductor/connect/qbd/[secret]/route.ts": {
    // PUT, PATCH, DELETE and OPTIONS are its refusals (405 with Allow).
    methods: ["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"],
    path: () => pathSegment(alnum(8, 64)).map((secret) => `/sandbox/conductor/connect/qbd/${secret}`),
    query: () => ({ step: fc.constantFrom("1", "done") }),
    body: () => ({ action: fc.constantFrom("connect", "cancel") }),
    envelope: false,
  },
};

function auditQuery(ctx: FuzzContext): Record<string, Arb> {
  return {
    action: auditActions,
    actor: email,
    endUserId: endUserId(ctx),
    sourceId,
    since: instant,
    until: instant,
    cursor,
    limit,
  };
}

/**
 * Route files fuzzed together, each group one property run (its cases spread over its files):
 * enough cases per group inside `npm test` without one run per file.
 */
export const routeGroups: Record<string, string[]> = {
  "end-user routes": [
    "app/api/end-users/route.ts",
    "app/api/end-users/lookup/route.ts",
    "app/api/end-users/[id]/providers/[provider]/route.ts",
    // Last among them in spirit: it may offboard the fuzzed end-user (groups run in order).
    "app/api/end-users/[id]/route.ts",
  ],
  "connection routes": [
    "app/api/end-users/[id]/auth-sessions/route.ts",
    "app/api/end-users/[id]/connect-link/route.ts",
    "app/api/end-users/[id]/connection/route.ts",
    "app/api/end-users/[id]/connection/check/route.ts",
  ],
  "operator and machine routes": [
    "app/api/audit/route.ts",
    "app/api/audit.csv/route.ts",
    "app/api/cron/reconcile/route.ts",
    "app/api/health/route.ts",
    "app/api/health/live/route.ts",
    "app/api/openapi.json/route.ts",
    "app/api/[...path]/route.ts",
  ],
  "sign-in and sandbox routes": [
    "app/api/auth/[...nextauth]/route.ts",
    "app/signin/email/route.ts",
    "app/sandbox/conductor/connect/qbd/[secret]/route.ts",
  ],
};

/** The requests of each route file of a group. */
export function routeGroupRequests(group: string, ctx: FuzzContext): fc.Arbitrary<FuzzRequest>[] {
  return routeGroups[group]!.map((file) => routeRequests(file, ctx));
}

/** Every request a surface may see: its own methods mostly, any other method now and then. */
export function routeRequests(file: string, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const surface = routeSurfaces[file]!;
  const method = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...surface.methods) },
    { weight: 1, arbitrary: fc.constantFrom(...ALL_METHODS) },
  );
  const query = queryString(surface.query?.(ctx) ?? {});
  const body = requestBody(
    fc.oneof({ weight: 5, arbitrary: objectWith(surface.body?.(ctx) ?? {}) }, { weight: 1, arbitrary: hostileJson }),
  );
  return method.chain((name) => {
    const withBody = BODY_METHODS.has(name);
    return fc
      .record({
        path: surface.path(ctx),
        query,
        headers: requestHeaders(ctx, withBody),
        body: withBody ? body : fc.constant(undefined),
      })
      .map(({ path: target, query: search, headers, body: payload }) => ({
        surface: file,
        method: name,
        path: target + search,
        headers,
        body: payload,
      }));
  });
}

/** Every route.ts under app/, with the HTTP methods it exports. */
export function routeFiles(root: string): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js)$/.test(name)) found[path.relative(root, full)] = exportedMethods(full);
    }
  };
  walk(path.join(root, "app"));
  return found;
}

function exportedMethods(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const methods = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:async\s+)?(?:const|function)\s+([A-Z]+)\b/g)) methods.add(match[1]!);
  for (const match of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of match[1]!.split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name && /^[A-Z]+$/.test(name)) methods.add(name);
    }
  return [...methods].filter((name) => ALL_METHODS.includes(name)).sort();
}
