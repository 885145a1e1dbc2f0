/** Builds the production app once per test run and starts `next start` processes on free ports. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";

/** Overridable so that two test runs on one machine do not build over each other. */
export const TEST_DIST_DIR = process.env.TEST_DIST_DIR ?? ".next-test";

/** Only what a process needs to run: nothing of the test runner's own environment leaks in. */
export function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "CHROMIUM_PATH"];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}
const NEXT_BIN = path.join("node_modules", ".bin", "next");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function childEnv(env: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...baseEnv(),
    ...env,
    ...extra,
    NODE_ENV: "production",
    NEXT_DIST_DIR: TEST_DIST_DIR,
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

/** `next build` into the test dist dir with the given (production-shaped) environment. */
export function buildApp(env: Record<string, string>): void {
  if (process.env.TEST_REUSE_BUILD === "1" && existsSync(path.join(TEST_DIST_DIR, "BUILD_ID"))) return;
  const started = Date.now();
  const result = spawnSync(NEXT_BIN, ["build"], {
    env: childEnv(env),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
  console.log(`next build (${TEST_DIST_DIR}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export type AppProcess = {
  origin: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
};

/** Starts the built app and waits until it answers; rejects with its output if it exits first. */
export async function startApp(
  env: Record<string, string>,
  options: { port?: number; timeoutMs?: number; logFile?: string } = {},
): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(NEXT_BIN, ["start", "-H", "127.0.0.1", "-p", String(port)], {
    env: childEnv(env, { PORT: String(port) }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk;
    if (options.logFile) appendFileSync(options.logFile, chunk);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const origin = `http://localhost:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`next start did not answer within the time limit:\n${output}`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    origin,
    port,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}

/** Runs `next start` expecting it to refuse to start; returns its exit code and output. */
export async function startAppExpectingFailure(env: Record<string, string>, timeoutMs = 30_000) {
  const port = await freePort();
  const child: ChildProcess = spawn(NEXT_BIN, ["start", "-H", "127.0.0.1", "-p", String(port)], {
    env: childEnv(env, { PORT: String(port) }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), resolve(null)), timeoutMs);
    child.once("exit", (exitCode: number | null) => (clearTimeout(timer), resolve(exitCode)));
  });
  return { code, output };
}
