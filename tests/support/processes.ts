/**
 * Child processes the tests and the benchmark start: a server, waited on until it answers, or a
 * command run to its end. Each runs in a process group of its own, so stopping it also stops
 * whatever it spawned, and it gets only the few variables of this process's environment it needs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";

/** Only what a process needs to run: nothing of the test runner's own environment leaks in. */
export function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "CHROMIUM_PATH"];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

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

export type Spawned = {
  child: ChildProcess;
  pid: number;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output: () => string;
  /** Its exit code (null when a signal ended it), once its output is complete. */
  exited: Promise<number | null>;
  /** SIGTERM to its process group, SIGKILL 5 s later if it is still there. */
  stop: () => Promise<void>;
};

export function spawnProcess(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; logFile?: string },
): Spawned {
  // The environment is passed exactly as given (Next's types would demand a NODE_ENV).
  const env = options.env as NodeJS.ProcessEnv;
  const child = spawn(command, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk;
    if (options.logFile) appendFileSync(options.logFile, chunk);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, pid: child.pid!, output: () => output, exited, stop };
}

/** Runs a command to its end; past `timeoutMs` it is killed and its code is null. */
export async function runProcess(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; timeoutMs: number },
): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const spawned = spawnProcess(command, args, options);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      process.kill(-spawned.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, options.timeoutMs);
  const code = await spawned.exited;
  clearTimeout(timer);
  const output = spawned.output() + (killed ? `\n[killed after ${options.timeoutMs} ms]` : "");
  return { code: killed ? null : code, output, ms: Date.now() - started };
}

function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", () => resolve(0));
  });
}

export type ServerProcess = Spawned & {
  origin: string;
  port: number;
  /** From spawn to the first 200 on the ready path. */
  readyMs: number;
};

/** Starts a server listening on 127.0.0.1:`port` and waits for a 200 on `readyPath`; rejects with its output if it exits first. */
export async function startServer(options: {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  port: number;
  readyPath: string;
  /** The host name in `origin` (default localhost, the name the app's cookies and AUTH_URL use). */
  host?: string;
  timeoutMs?: number;
  pollMs?: number;
  logFile?: string;
}): Promise<ServerProcess> {
  const started = performance.now();
  const spawned = spawnProcess(options.command, options.args, { env: options.env, logFile: options.logFile });
  const deadline = started + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (spawned.child.exitCode !== null) {
      await spawned.exited;
      throw new Error(`${options.label} exited with ${spawned.child.exitCode}:\n${spawned.output()}`);
    }
    if (performance.now() > deadline) {
      await spawned.stop();
      throw new Error(
        `${options.label} did not answer ${options.readyPath} within the time limit:\n${spawned.output()}`,
      );
    }
    if ((await statusOf(`http://127.0.0.1:${options.port}${options.readyPath}`)) === 200) break;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
  return {
    ...spawned,
    origin: `http://${options.host ?? "localhost"}:${options.port}`,
    port: options.port,
    readyMs: performance.now() - started,
  };
}
