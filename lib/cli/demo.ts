/**
 * npm run demo: builds the production app if the sources changed since the last build, then
 * serves it on http://localhost:$PORT (bound to 127.0.0.1) with whatever is configured, and
 * everything else sandboxed.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = [
  "app",
  "lib",
  "prisma",
  "next.config.mjs",
  "proxy.ts",
  "instrumentation.ts",
  "package.json",
  "package-lock.json",
];
const IGNORED = new Set(["node_modules", "generated"]);

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    0,
    ...readdirSync(entry)
      .filter((name) => !IGNORED.has(name))
      .map((name) => newestMtime(path.join(entry, name))),
  );
}

function needsBuild(distDir: string): boolean {
  const buildId = path.join(distDir, "BUILD_ID");
  return !existsSync(buildId) || Math.max(...SOURCES.map(newestMtime)) > statSync(buildId).mtimeMs;
}

async function waitForHealth(url: string, child: ReturnType<typeof spawn>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no answer from ${url} after ${timeoutMs / 1000} s`);
}

async function main() {
  const started = Date.now();
  // Validates the environment first, so a bad value is reported before a long build.
  const { env, modes, sandboxedParts } = await import("@/lib/platform/env");
  const nextBin = path.join("node_modules", ".bin", "next");
  if (needsBuild(env.NEXT_DIST_DIR)) {
    console.log("Building the production app (first run, or sources changed)…");
    const build = spawnSync(nextBin, ["build"], { stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const server = spawn(nextBin, ["start", "-H", "127.0.0.1", "-p", String(env.PORT)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));

  await waitForHealth(`http://127.0.0.1:${env.PORT}/api/health`, server);
  const sandboxed = sandboxedParts(modes);
  console.log(`\nReady in ${((Date.now() - started) / 1000).toFixed(1)} s: http://localhost:${env.PORT}`);
  console.log(
    sandboxed.length
      ? `Sandboxed: ${sandboxed.join(", ")}.`
      : "Nothing sandboxed: live Conductor, Altur, Dify and mail.",
  );
  if (modes.mail === "sandbox-mailbox")
    console.log(`Sign-in links: http://localhost:${env.PORT}/sandbox/mailbox (and this log).`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
