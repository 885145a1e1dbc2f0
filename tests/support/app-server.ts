/**
 * Production builds of a Next.js app (ours, unless `dir` names another) and `next start`
 * processes of them on free ports: the tests' app and the benchmark's apps alike.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { baseEnv, freePort, runProcess, startServer, type ServerProcess } from "./processes";

export { baseEnv, freePort } from "./processes";

/** Overridable so that two test runs on one machine do not build over each other. */
export const TEST_DIST_DIR = process.env.TEST_DIST_DIR ?? ".next-test";
/** The build whose generated types tsconfig.json and next-env.d.ts name. */
const TYPED_DIST_DIR = ".next-test";
const NEXT_CLI = path.join("node_modules", "next", "dist", "bin", "next");

/**
 * The Next.js that builds and serves the project in `dir`: its own when it has one (another
 * checkout: one React per process), else ours (the bench's empty app has no node_modules).
 */
function nextCli(dir?: string): string {
  const own = dir && path.join(dir, NEXT_CLI);
  return own && existsSync(own) ? own : NEXT_CLI;
}

function nextEnv(
  env: Record<string, string>,
  distDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...baseEnv(),
    ...env,
    ...extra,
    NODE_ENV: "production",
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

/**
 * `next build` adds `<distDir>/types/**` to tsconfig.json's include and points next-env.d.ts at
 * it. After any build but the typed one, both are put back as they were, so a build changes no
 * file in the repository (only when they hold exactly that change, so an edit made meanwhile is
 * never lost).
 */
function keepTypeFiles(distDir: string, build: () => void): void {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : null);
  const [tsconfig, nextEnvDts] = [read("tsconfig.json"), read("next-env.d.ts")];
  try {
    build();
  } finally {
    if (distDir !== TYPED_DIST_DIR) {
      const added = [`${distDir}/types/**/*.ts`, `${distDir}/dev/types/**/*.ts`];
      const withoutAdded = (text: string) => {
        try {
          const config = JSON.parse(text) as { include?: string[] };
          return JSON.stringify({ ...config, include: config.include?.filter((item) => !added.includes(item)) });
        } catch {
          return null; // not plain JSON (comments): leave it for a person to look at
        }
      };
      const now = read("tsconfig.json");
      if (
        tsconfig &&
        now &&
        now !== tsconfig &&
        withoutAdded(now) !== null &&
        withoutAdded(now) === withoutAdded(tsconfig)
      )
        writeFileSync("tsconfig.json", tsconfig);
      if (nextEnvDts && read("next-env.d.ts")?.includes(`./${distDir}/types/`))
        writeFileSync("next-env.d.ts", nextEnvDts);
    }
  }
}

/** What `next build` printed for the build in `distDir` (kept beside it, for a test to read). */
export const buildOutputOf = (distDir = TEST_DIST_DIR) => path.join(distDir, "build-output.log");

/**
 * The folder holding a build into `distDir` of the project in `dir`, if one exists: under that
 * project for ours and another checkout's (their config takes NEXT_DIST_DIR), or under this one for
 * the bench's own apps (their config points back here).
 */
function builtInto(distDir: string, dir = "."): string | undefined {
  return [path.join(dir, distDir), distDir].find((folder) => existsSync(path.join(folder, "BUILD_ID")));
}

/**
 * `next build` of the project in `dir` (default: ours) into `distDir`, with the (production-shaped)
 * environment it will run with. With `reuse`, an existing build is kept; `readableNames` keeps
 * function names unmangled, for a CPU profile. Returns the milliseconds spent.
 */
export function buildApp(
  env: Record<string, string>,
  options: { distDir?: string; dir?: string; reuse?: boolean; readableNames?: boolean } = {},
): number {
  const distDir = options.distDir ?? TEST_DIST_DIR;
  if (options.reuse && builtInto(distDir, options.dir)) return 0;
  const started = performance.now();
  keepTypeFiles(distDir, () => {
    const result = spawnSync(
      process.execPath,
      [
        nextCli(options.dir),
        "build",
        ...(options.readableNames ? ["--no-mangling"] : []),
        ...(options.dir ? [options.dir] : []),
      ],
      {
        env: nextEnv(env, distDir) as NodeJS.ProcessEnv,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (result.status !== 0) throw new Error(`next build (${distDir}) failed:\n${result.stdout}\n${result.stderr}`);
    const builtDir = builtInto(distDir, options.dir) ?? distDir;
    writeFileSync(path.join(builtDir, "build-output.log"), `${result.stdout}\n${result.stderr}`);
  });
  return performance.now() - started;
}

export type AppProcess = ServerProcess;

/** `next start` listening on `hostname` (null: no -H, which Next takes as every interface). */
const startArgs = (port: number, dir?: string, hostname: string | null = "127.0.0.1") => [
  nextCli(dir),
  "start",
  ...(dir ? [dir] : []),
  ...(hostname === null ? [] : ["-H", hostname]),
  "-p",
  String(port),
];

/** Starts `next start` of a build and waits until `readyPath` (default /api/health) answers 200. */
export async function startApp(
  env: Record<string, string>,
  options: {
    port?: number;
    distDir?: string;
    dir?: string;
    readyPath?: string;
    label?: string;
    host?: string;
    timeoutMs?: number;
    pollMs?: number;
    logFile?: string;
    /** Flags for Node itself, before Next.js's CLI (some, such as --cpu-prof, NODE_OPTIONS refuses). */
    nodeArgs?: string[];
  } = {},
): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  return startServer({
    label: options.label ?? "next start",
    command: process.execPath,
    args: [...(options.nodeArgs ?? []), ...startArgs(port, options.dir)],
    env: nextEnv(env, options.distDir ?? TEST_DIST_DIR, { PORT: String(port) }),
    port,
    readyPath: options.readyPath ?? "/api/health",
    host: options.host,
    timeoutMs: options.timeoutMs,
    pollMs: options.pollMs,
    logFile: options.logFile,
  });
}

/**
 * Runs `next start` of the test build (on 127.0.0.1 unless `hostname` says otherwise) expecting it
 * to refuse to start; its exit code (null: still running at the time limit) and output.
 */
export async function startAppExpectingFailure(
  env: Record<string, string>,
  timeoutMs = 30_000,
  hostname: string | null = "127.0.0.1",
) {
  const port = await freePort();
  const { code, output } = await runProcess(process.execPath, startArgs(port, undefined, hostname), {
    env: nextEnv(env, TEST_DIST_DIR, { PORT: String(port) }),
    timeoutMs,
  });
  return { code, output };
}
