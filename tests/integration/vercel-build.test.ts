/**
 * The deployment, built the way Vercel builds it: the real `vercel build` (Vercel CLI, Build
 * Output API v3) on a clean copy of the repository, offline, with a complete production
 * environment whose secrets are canaries. Then `.vercel/output` is read: functions, cron,
 * maxDuration, headers, migrations applied by the build, and no secret outside the server.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, dropDatabase, query } from "../support/database";
import {
  filesAt,
  headersFor,
  readVcConfig,
  repoRoot,
  routeOf,
  vercelBuild,
  walk,
  type OutputConfig,
  type VcConfig,
  type VercelBuild,
} from "../support/vercel-build";
import { pagePolicy } from "../support/page-policy";

const BUILD_TIMEOUT_MS = 540_000;

type VercelJson = {
  buildCommand?: string;
  installCommand?: string;
  crons: { path: string; schedule: string }[];
  functions: Record<string, { maxDuration?: number; runtime?: string }>;
};

const random = (bytes: number) => randomBytes(bytes).toString("hex");

describe("vercel build (offline, real Vercel CLI) on a clean copy of the repository", () => {
  const secrets = {
    CONDUCTOR_SECRET_KEY: `sk_conductor_canary_${random(12)}`,
    // Public by design, yet read on the server only: it must not reach the client output either.
    CONDUCTOR_PUBLISHABLE_KEY: `pk_conductor_canary_${random(12)}`,
    AUTH_SECRET: random(32),
    CRON_SECRET: `cron_${random(16)}`,
    LOOKUP_API_TOKENS: random(20), // one 40-character service token
  };
  const vercelJson = JSON.parse(readFileSync(path.join(repoRoot, "vercel.json"), "utf8")) as VercelJson;
  const databases: { name: string; url: string }[] = [];
  let build: VercelBuild | undefined;
  let workDir = "";
  let output = "";
  let pooled: { name: string; url: string };
  let direct: { name: string; url: string };

  /** Each secret found in one of `files`, as "<file relative to root>: <secret's name>". */
  const leaks = (files: string[], root: string) =>
    files.flatMap((file) => {
      const text = readFileSync(file, "latin1");
      return Object.entries(secrets).flatMap(([name, value]) =>
        text.includes(value) ? [`${path.relative(root, file)}: ${name}`] : [],
      );
    });

  /** The build's result, or a failure carrying the tail of its log. */
  function built() {
    if (!build || build.code !== 0)
      throw new Error(`vercel build failed (exit ${build?.code}):\n${build?.log.slice(-8_000)}`);
    return {
      config: JSON.parse(readFileSync(path.join(output, "config.json"), "utf8")) as OutputConfig,
      log: build.log,
    };
  }

  beforeAll(async () => {
    // Two databases stand for the provider's pooled and direct URLs, so the test can tell which one migrations used.
    pooled = await createDatabase("vercel_pooled");
    databases.push(pooled);
    direct = await createDatabase("vercel_direct");
    databases.push(direct);

    // What a Vercel production deployment of this project is given.
    build = await vercelBuild(
      {
        VERCEL: "1",
        VERCEL_ENV: "production",
        DATABASE_URL: pooled.url,
        DATABASE_URL_UNPOOLED: direct.url,
        EMAIL_SERVER: "smtp://127.0.0.1:2525",
        EMAIL_FROM: "Conductor Onboarding <no-reply@example.test>",
        ...secrets,
      },
      BUILD_TIMEOUT_MS,
    );
    ({ workDir, output } = build);
    expect(build.copied).toBeGreaterThan(50);
    console.log(`vercel build in ${(build.ms / 1000).toFixed(1)} s (exit ${build.code})`);
  }, BUILD_TIMEOUT_MS + 180_000);

  afterAll(async () => {
    for (const { name } of databases) await dropDatabase(name);
    build?.remove();
  });

  it("succeeds and writes Build Output API v3 to .vercel/output, with no install step and vercel.json leaving installCommand alone", () => {
    const { config, log } = built();
    expect(config.version).toBe(3);
    expect(log).toMatch(/Skipping "install" command/);
    expect(vercelJson).not.toHaveProperty("installCommand");
  });

  it("runs the project's migrator before next build (vercel-build) and applies prisma/migrations through DATABASE_URL_UNPOOLED, not the pooled URL", async () => {
    const { log } = built();
    expect(vercelJson.buildCommand).toBe("npm run vercel-build");
    expect(log).toMatch(/Running "npm run vercel-build"/);
    const migrated = log.search(/^applied: \S+/m);
    expect(migrated).toBeGreaterThan(-1);
    expect(migrated).toBeLessThan(log.indexOf("Creating an optimized production build"));

    const expected = readdirSync(path.join(repoRoot, "prisma", "migrations"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const recorded = await query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      direct.url,
      "SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(expected);
    expect(recorded.every((row) => row.finished_at && !row.rolled_back_at)).toBe(true);
    const pooledTables = await query<{ table_name: string }>(
      pooled.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(pooledTables).toEqual([]);
  });

  it("puts the reconcile cron in config.json: GET /api/cron/reconcile once a day (the Hobby plan's limit)", () => {
    const { config } = built();
    expect(vercelJson.crons).toEqual([{ path: "/api/cron/reconcile", schedule: expect.any(String) }]);
    expect(config.crons).toEqual(vercelJson.crons);
    // minute and hour fixed, every day: at most one run a day.
    expect(vercelJson.crons[0]!.schedule).toMatch(/^([0-5]?\d) ([01]?\d|2[0-3]) \* \* \*$/);
    expect(existsSync(path.join(repoRoot, "app/api/cron/reconcile/route.ts"))).toBe(true);
  });

  it("selects Node.js 24 from package.json's engines, with no warning that it will jump to a newer major unasked", () => {
    const { log } = built();
    expect(log).not.toMatch(/automatically upgrade|is deprecated|discontinued/);
    expect(log).not.toMatch(/Node\.js Version defined in your Project Settings/);
  });

  it("creates a Node.js 24 function (never edge) for every page and route handler, and for the proxy", () => {
    built();
    const sources = walk(path.join(workDir, "app"), false)
      .map((file) => path.relative(workDir, file))
      .filter((file) => /\/(page|route)\.tsx?$/.test(file));
    const routes = sources.map(routeOf).sort();
    expect(routes).toEqual(
      expect.arrayContaining([
        "/",
        "/api/cron/reconcile",
        "/api/end-users",
        "/api/end-users/[id]",
        "/api/end-users/lookup",
        "/api/health",
        "/end-users",
        "/end-users/[id]",
        "/onboarding",
        "/signin",
      ]),
    );
    for (const route of [...routes, "/_middleware"]) {
      const vc = readVcConfig(output, route);
      expect({ route, runtime: vc.runtime, launcherType: vc.launcherType, handler: typeof vc.handler }).toEqual({
        route,
        runtime: "nodejs24.x",
        launcherType: "Nodejs",
        handler: "string",
      });
    }
    const runtimes = walk(path.join(output, "functions"), false)
      .filter((file) => file.endsWith(".vc-config.json"))
      .map((file) => (JSON.parse(readFileSync(file, "utf8")) as VcConfig).runtime);
    expect(new Set(runtimes)).toEqual(new Set(["nodejs24.x"]));
  });

  it("leaves the embedded database and the offline migrator (never used on Vercel) out of every function", () => {
    built();
    // A local build lists each function's files in filePathMap rather than copying them.
    const bundled = walk(path.join(output, "functions"), false)
      .filter((file) => file.endsWith(".vc-config.json"))
      .flatMap((file) => Object.keys((JSON.parse(readFileSync(file, "utf8")) as VcConfig).filePathMap ?? {}))
      .filter((file) => /node_modules\/(@electric-sql|@prisma\/schema-engine-wasm)\//.test(file));
    expect(bundled).toEqual([]);
  });

  it("gives the functions that call Conductor the maxDuration from vercel.json, within the Hobby plan's 300 s", () => {
    built();
    const expected: Record<string, string> = {
      "/api/cron/reconcile": "app/api/cron/reconcile/route.ts",
      "/api/end-users": "app/api/end-users/**/route.ts",
      "/api/end-users/[id]": "app/api/end-users/**/route.ts",
      "/api/end-users/lookup": "app/api/end-users/**/route.ts",
      "/api/end-users/[id]/auth-sessions": "app/api/end-users/**/route.ts",
      "/api/end-users/[id]/connection/check": "app/api/end-users/*/connection/check/route.ts",
      "/api/audit.csv": "app/api/audit.csv/route.ts",
      "/end-users": "app/end-users/**/page.tsx",
      "/end-users/[id]": "app/end-users/**/page.tsx",
      "/onboarding": "app/onboarding/**/page.tsx",
      "/onboarding/connected": "app/onboarding/**/page.tsx",
    };
    for (const [route, pattern] of Object.entries(expected)) {
      const configured = vercelJson.functions[pattern]?.maxDuration;
      expect({ pattern, configured }).toEqual({ pattern, configured: expect.any(Number) });
      expect(configured).toBeLessThanOrEqual(300);
      expect({ route, maxDuration: readVcConfig(output, route).maxDuration }).toEqual({
        route,
        maxDuration: configured,
      });
    }
    for (const options of Object.values(vercelJson.functions)) expect(options).not.toHaveProperty("runtime");
  });

  it("lets the connection check and the pages that run it outlast Conductor's own 60 s health-check limit", () => {
    built();
    for (const route of [
      "/api/end-users/[id]/connection/check",
      "/onboarding/connected",
      "/onboarding",
      "/end-users/[id]",
    ])
      expect({ route, coversSixtySeconds: readVcConfig(output, route).maxDuration! > 60 }).toEqual({
        route,
        coversSixtySeconds: true,
      });
  });

  it("adds HSTS, nosniff, Referrer-Policy, frame denial and Permissions-Policy to every path, a closed CSP to /api, and the nonce CSP proxy to pages", () => {
    const { config } = built();
    const pages = ["/", "/signin", "/onboarding", "/end-users/end_usr_1234", "/no-such-page"];
    const apis = ["/api/health", "/api/end-users", "/api/end-users/lookup", "/api/cron/reconcile"];
    for (const pathname of [...pages, ...apis]) {
      const headers = headersFor(config, pathname);
      expect({ pathname, ...headers }).toMatchObject({
        pathname,
        "Strict-Transport-Security": expect.stringMatching(/^max-age=\d+; includeSubDomains/),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": expect.stringContaining("camera=()"),
      });
      expect(Number(/max-age=(\d+)/.exec(headers["Strict-Transport-Security"]!)![1])).toBeGreaterThanOrEqual(
        31_536_000,
      );
      if (apis.includes(pathname)) {
        expect(headers["Content-Security-Policy"]).toMatch(/default-src 'none'/);
        expect(headers["Content-Security-Policy"]).toMatch(/frame-ancestors 'none'/);
      }
    }

    // Pages: the CSP is set per request by proxy.ts (a nonce each time), which runs as the _middleware function.
    // One route per matcher: pages, and API paths only when they hold a percent-escape.
    const proxyRoutes = config.routes.filter((route) => route.middlewarePath === "/_middleware");
    expect(proxyRoutes.length).toBeGreaterThan(0);
    const proxied = (pathname: string) => proxyRoutes.some((route) => new RegExp(route.src!).test(pathname));
    for (const pathname of pages) expect({ pathname, proxied: proxied(pathname) }).toEqual({ pathname, proxied: true });
    for (const pathname of apis) expect({ pathname, proxied: proxied(pathname) }).toEqual({ pathname, proxied: false });
    expect(proxied("/api/end-users/end_usr_%E0%A4%A")).toBe(true);
    const proxyFiles = Object.values(readVcConfig(output, "/_middleware").filePathMap ?? {})
      .filter((file) => file.startsWith(".next/server/"))
      .flatMap((file) => filesAt(path.join(workDir, file)));
    const policy = proxyFiles
      .map((file) => readFileSync(file, "utf8"))
      .find((text) => text.includes("frame-ancestors 'none'"));
    expect(policy).toBeDefined();
    // The whole policy as the bundle builds it, every directive and token: one more source
    // anywhere (say 'unsafe-inline' after 'strict-dynamic') fails it.
    const bundled = /`(default-src [^`]*frame-ancestors 'none')`/.exec(policy!)?.[1];
    const nonce = /'nonce-\$\{(\w+)\}'/.exec(bundled ?? "")?.[1];
    expect(bundled?.split("; ")).toEqual(pagePolicy(`\${${nonce}}`));
  });

  it("leaves no secret in the static output or anywhere outside the server functions", () => {
    built();
    const staticFiles = walk(path.join(output, "static"), false);
    expect(staticFiles.filter((file) => file.endsWith(".js")).length).toBeGreaterThan(5);
    const outside = walk(output, true);
    expect(outside.length).toBeGreaterThan(staticFiles.length);
    expect(leaks(outside, output)).toEqual([]);
  });

  it("does not bake secrets into the server bundles either: functions read them at run time", () => {
    built();
    const files = new Set<string>();
    for (const file of walk(path.join(output, "functions"), false)) files.add(file);
    for (const vcConfig of [...files].filter((file) => file.endsWith(".vc-config.json"))) {
      const { filePathMap = {} } = JSON.parse(readFileSync(vcConfig, "utf8")) as VcConfig;
      for (const source of Object.values(filePathMap)) {
        if (source.startsWith(".next/server/")) for (const file of filesAt(path.join(workDir, source))) files.add(file);
      }
    }
    expect(
      [...files].filter((file) => file.includes(`${path.sep}.next${path.sep}server${path.sep}`)).length,
    ).toBeGreaterThan(10);
    expect(leaks([...files], workDir)).toEqual([]);
  });
});
