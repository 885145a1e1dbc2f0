/**
 * The deployment, built the way Vercel builds it: the real `vercel build` (Vercel CLI, Build
 * Output API v3) on a clean copy of the repository, offline, with a complete production
 * environment whose secrets are canaries. Then `.vercel/output` is read: functions, cron,
 * maxDuration, headers, migrations applied by the build, and no secret outside the server.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv } from "../support/app-server";
import { createDatabase, dropDatabase, query } from "../support/database";

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const BUILD_TIMEOUT_MS = 540_000;

type VcConfig = {
  runtime?: string;
  handler?: string;
  launcherType?: string;
  maxDuration?: number;
  filePathMap?: Record<string, string>;
};
type Route = {
  src?: string;
  headers?: Record<string, string>;
  handle?: string;
  continue?: boolean;
  status?: number;
  has?: unknown;
  missing?: unknown;
  middlewarePath?: string;
};
type OutputConfig = { version: number; routes: Route[]; crons?: { path: string; schedule: string }[] };
type VercelJson = {
  buildCommand?: string;
  installCommand?: string;
  crons: { path: string; schedule: string }[];
  functions: Record<string, { maxDuration?: number; runtime?: string }>;
};

const random = (bytes: number) => randomBytes(bytes).toString("hex");

/** The files a commit of this working tree would hold: tracked plus untracked-but-not-ignored. */
function copyRepository(to: string): number {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  let copied = 0;
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    const from = path.join(repoRoot, file);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    copyFileSync(from, path.join(to, file));
    copied++;
  }
  return copied;
}

/** Hard links (instant, no space): Turbopack refuses a node_modules symlinked from outside its root. */
function linkNodeModules(to: string) {
  const from = path.join(repoRoot, "node_modules");
  let result = spawnSync("cp", ["-al", from, path.join(to, "node_modules")], { encoding: "utf8" });
  if (result.status !== 0) {
    // Another filesystem (no hard links across devices): a real copy, slower but equivalent.
    rmSync(path.join(to, "node_modules"), { recursive: true, force: true });
    result = spawnSync("cp", ["-a", from, path.join(to, "node_modules")], { encoding: "utf8" });
  }
  if (result.status !== 0) throw new Error(`copying node_modules failed: ${result.stderr}`);
  // Tools rewrite their caches in place (jiti: node_modules/.cache): unlink them so no write reaches a shared inode.
  rmSync(path.join(to, "node_modules", ".cache"), { recursive: true, force: true });
}

/** Runs a command with exactly `env` (NODE_ENV stays unset, as in a Vercel build); resolves with its exit code and output. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
) {
  return new Promise<{ code: number | null; output: string; ms: number }>((resolve) => {
    const started = Date.now();
    const env = options.env as NodeJS.ProcessEnv; // Next's types make NODE_ENV required; it is deliberately absent.
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[killed after ${options.timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

/** Every regular file under `dir`; directories named `*.func` are skipped when `skipFunctions`. Symlinks are not followed. */
function walk(dir: string, skipFunctions: boolean, files: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(skipFunctions && entry.name.endsWith(".func"))) walk(full, skipFunctions, files);
    } else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** Same as walk, but for a path that may be a file, a directory, or a symlink to either (followed). */
function filesAt(target: string): string[] {
  if (!existsSync(target)) return [];
  if (statSync(target).isFile()) return [target];
  const files: string[] = [];
  for (const entry of readdirSync(target)) files.push(...filesAt(path.join(target, entry)));
  return files;
}

/** `app/end-users/[id]/page.tsx` → `/end-users/[id]`; `app/page.tsx` → `/`. */
function routeOf(file: string): string {
  const route = file.replace(/^app/, "").replace(/\/(page|route)\.tsx?$/, "");
  return route === "" ? "/" : route;
}

function functionDir(output: string, route: string): string {
  return path.join(output, "functions", `${route === "/" ? "/index" : route}.func`);
}

function readVcConfig(output: string, route: string): VcConfig {
  return JSON.parse(readFileSync(path.join(functionDir(output, route), ".vc-config.json"), "utf8")) as VcConfig;
}

/** The headers Vercel's router adds to a request for `pathname` before it reaches the filesystem or a function. */
function headersFor(config: OutputConfig, pathname: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const route of config.routes) {
    if (route.handle) break;
    if (!route.headers || !route.src || route.status || route.has || route.missing) continue;
    if (new RegExp(route.src).test(pathname)) Object.assign(headers, route.headers);
  }
  return headers;
}

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
  let workDir = "";
  let output = "";
  let build: { code: number | null; output: string; ms: number } | undefined;
  let pooled: { name: string; url: string };
  let direct: { name: string; url: string };

  /** The build's result, or a failure carrying the tail of its log. */
  function built() {
    if (!build || build.code !== 0)
      throw new Error(`vercel build failed (exit ${build?.code}):\n${build?.output.slice(-8_000)}`);
    return {
      config: JSON.parse(readFileSync(path.join(output, "config.json"), "utf8")) as OutputConfig,
      log: build.output,
    };
  }

  beforeAll(async () => {
    // Two databases stand for the provider's pooled and direct URLs, so the test can tell which one migrations used.
    pooled = await createDatabase("vercel_pooled");
    databases.push(pooled);
    direct = await createDatabase("vercel_direct");
    databases.push(direct);

    workDir = mkdtempSync(path.join(os.tmpdir(), "conductor-vercel-build-"));
    output = path.join(workDir, ".vercel", "output");
    expect(copyRepository(workDir)).toBeGreaterThan(50);
    linkNodeModules(workDir);
    mkdirSync(path.join(workDir, ".vercel"));
    writeFileSync(
      path.join(workDir, ".vercel", "project.json"),
      JSON.stringify({
        projectId: "prj_test",
        orgId: "team_test",
        settings: { framework: "nextjs", installCommand: "" },
      }),
    );
    // Vercel's install step (skipped here: offline) would run postinstall, which generates the Prisma client.
    const binPath = `${path.join(workDir, "node_modules", ".bin")}${path.delimiter}${baseEnv().PATH ?? ""}`;
    const generated = await run(process.execPath, ["lib/cli/prisma-generate.mjs"], {
      cwd: workDir,
      env: { ...baseEnv(), PATH: binPath },
      timeoutMs: 120_000,
    });
    if (generated.code !== 0) throw new Error(`prisma generate failed:\n${generated.output}`);

    build = await run(path.join(workDir, "node_modules", ".bin", "vercel"), ["build", "--prod", "--yes"], {
      cwd: workDir,
      timeoutMs: BUILD_TIMEOUT_MS,
      env: {
        ...baseEnv(),
        // Offline: no telemetry, no update check (skipped when VERCEL is set), no registry.
        VERCEL_TELEMETRY_DISABLED: "1",
        NEXT_TELEMETRY_DISABLED: "1",
        NO_UPDATE_NOTIFIER: "1",
        npm_config_offline: "true",
        npm_config_update_notifier: "false",
        // What a Vercel production deployment of this project is given.
        VERCEL: "1",
        VERCEL_ENV: "production",
        DATABASE_URL: pooled.url,
        DATABASE_URL_UNPOOLED: direct.url,
        EMAIL_SERVER: "smtp://127.0.0.1:2525",
        EMAIL_FROM: "Conductor Onboarding <no-reply@example.test>",
        ...secrets,
      },
    });
    console.log(`vercel build in ${(build.ms / 1000).toFixed(1)} s (exit ${build.code})`);
  }, BUILD_TIMEOUT_MS + 180_000);

  afterAll(async () => {
    for (const { name } of databases) await dropDatabase(name);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
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

  it("creates a Node.js 22 function (never edge) for every page and route handler, and for the proxy", () => {
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
        runtime: "nodejs22.x",
        launcherType: "Nodejs",
        handler: "string",
      });
    }
    const runtimes = walk(path.join(output, "functions"), false)
      .filter((file) => file.endsWith(".vc-config.json"))
      .map((file) => (JSON.parse(readFileSync(file, "utf8")) as VcConfig).runtime);
    expect(new Set(runtimes)).toEqual(new Set(["nodejs22.x"]));
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
    expect(policy).toMatch(/script-src 'self' 'nonce-\$\{\w+\}' 'strict-dynamic'/);
  });

  it("leaves no secret in the static output or anywhere outside the server functions", () => {
    built();
    const staticFiles = walk(path.join(output, "static"), false);
    expect(staticFiles.filter((file) => file.endsWith(".js")).length).toBeGreaterThan(5);
    const outside = walk(output, true);
    expect(outside.length).toBeGreaterThan(staticFiles.length);
    for (const file of outside) {
      const text = readFileSync(file, "latin1");
      for (const [name, value] of Object.entries(secrets)) {
        expect({ file: path.relative(output, file), name, leaked: text.includes(value) }).toEqual({
          file: path.relative(output, file),
          name,
          leaked: false,
        });
      }
    }
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
    for (const file of files) {
      const text = readFileSync(file, "latin1");
      for (const [name, value] of Object.entries(secrets)) {
        expect({ file: path.relative(workDir, file), name, leaked: text.includes(value) }).toEqual({
          file: path.relative(workDir, file),
          name,
          leaked: false,
        });
      }
    }
  });
});
