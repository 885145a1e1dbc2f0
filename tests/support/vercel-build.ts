/**
 * The real `vercel build` (Vercel CLI, Build Output API v3), offline, on a clean copy of the
 * repository in a temporary folder, and readers for what it writes to `.vercel/output`.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { baseEnv, runProcess } from "./processes";

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

export type VcConfig = {
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
export type OutputConfig = { version: number; routes: Route[]; crons?: { path: string; schedule: string }[] };

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

export type VercelBuild = {
  workDir: string;
  /** `.vercel/output` in the work folder. */
  output: string;
  /** How many repository files were copied. */
  copied: number;
  code: number | null;
  log: string;
  ms: number;
  remove: () => void;
};

/**
 * Copies the repository to a temporary folder and runs `vercel build --prod` there with exactly
 * `env` (besides PATH and friends; NODE_ENV stays unset, as in a Vercel build), offline.
 */
export async function vercelBuild(env: Record<string, string>, timeoutMs: number): Promise<VercelBuild> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "conductor-vercel-build-"));
  const remove = () => rmSync(workDir, { recursive: true, force: true });
  try {
    return await buildIn(workDir, env, timeoutMs, remove);
  } catch (error) {
    remove();
    throw error;
  }
}

async function buildIn(workDir: string, env: Record<string, string>, timeoutMs: number, remove: () => void) {
  const copied = copyRepository(workDir);
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
  const generated = await runProcess(process.execPath, ["lib/cli/prisma-generate.mjs"], {
    cwd: workDir,
    env: { ...baseEnv(), PATH: binPath },
    timeoutMs: 120_000,
  });
  if (generated.code !== 0) throw new Error(`prisma generate failed:\n${generated.output}`);

  const build = await runProcess(path.join(workDir, "node_modules", ".bin", "vercel"), ["build", "--prod", "--yes"], {
    cwd: workDir,
    timeoutMs,
    env: {
      ...baseEnv(),
      // Offline: no telemetry, no update check (skipped when VERCEL is set), no registry.
      VERCEL_TELEMETRY_DISABLED: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      NO_UPDATE_NOTIFIER: "1",
      npm_config_offline: "true",
      npm_config_update_notifier: "false",
      ...env,
    },
  });
  const output = path.join(workDir, ".vercel", "output");
  return { workDir, output, copied, code: build.code, log: build.output, ms: build.ms, remove } satisfies VercelBuild;
}

/** Every regular file under `dir`; directories named `*.func` are skipped when `skipFunctions`. Symlinks are not followed. */
export function walk(dir: string, skipFunctions: boolean, files: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(skipFunctions && entry.name.endsWith(".func"))) walk(full, skipFunctions, files);
    } else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** Same as walk, but for a path that may be a file, a directory, or a symlink to either (followed). */
export function filesAt(target: string): string[] {
  if (!existsSync(target)) return [];
  if (statSync(target).isFile()) return [target];
  const files: string[] = [];
  for (const entry of readdirSync(target)) files.push(...filesAt(path.join(target, entry)));
  return files;
}

/** `app/end-users/[id]/page.tsx` → `/end-users/[id]`; `app/page.tsx` → `/`. */
export function routeOf(file: string): string {
  const route = file.replace(/^app/, "").replace(/\/(page|route)\.tsx?$/, "");
  return route === "" ? "/" : route;
}

export function readVcConfig(output: string, route: string): VcConfig {
  const functionDir = path.join(output, "functions", `${route === "/" ? "/index" : route}.func`);
  return JSON.parse(readFileSync(path.join(functionDir, ".vc-config.json"), "utf8")) as VcConfig;
}

/** The headers Vercel's router adds to a request for `pathname` before it reaches the filesystem or a function. */
export function headersFor(config: OutputConfig, pathname: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const route of config.routes) {
    if (route.handle) break;
    if (!route.headers || !route.src || route.status || route.has || route.missing) continue;
    if (new RegExp(route.src).test(pathname)) Object.assign(headers, route.headers);
  }
  return headers;
}
