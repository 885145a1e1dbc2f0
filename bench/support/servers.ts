/**
 * Starts the servers under test as child processes of their own (so their CPU time can be read
 * from /proc), waits for a first 200, and stops them. Every start registers its stop for cleanup.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { baseEnv, freePort } from "@/tests/support/app-server";
import { onCleanup } from "./cleanup";

export type Server = {
  origin: string;
  pid: number;
  /** From spawn to the first 200 on the ready path. */
  readyMs: number;
  output: () => string;
  stop: () => Promise<void>;
};

const NEXT_CLI = path.join("node_modules", "next", "dist", "bin", "next");

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", () => resolve(0));
  });
}

async function start(
  label: string,
  args: string[],
  env: Record<string, string>,
  readyPath: string,
  port: number,
): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...baseEnv(), ...env, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" as const },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so a stop reaches anything it spawned
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  onCleanup(`stop ${label}`, stop);

  const origin = `http://127.0.0.1:${port}`;
  const deadline = started + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}:\n${output}`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`${label} did not answer ${readyPath} within 90 s:\n${output}`);
    }
    if ((await status(`${origin}${readyPath}`)) === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { origin, pid: child.pid!, readyMs: performance.now() - started, output: () => output, stop };
}

/** `next start` of a built project (`dir`, default the repo root) on a free loopback port. */
export async function startNext(options: {
  label: string;
  env: Record<string, string>;
  readyPath: string;
  dir?: string;
  port?: number;
}) {
  const port = options.port ?? (await freePort());
  const args = [NEXT_CLI, "start", ...(options.dir ? [options.dir] : []), "-H", "127.0.0.1", "-p", String(port)];
  return start(options.label, args, options.env, options.readyPath, port);
}

/** The bare node:http + pg server of bench/baseline-server.ts. */
export async function startBaseline(env: Record<string, string>) {
  const port = await freePort();
  return start("baseline server", ["--import", "tsx", path.join("bench", "baseline-server.ts")], env, "/ready", port);
}
