/**
 * npm run demo: builds the production app if the sources changed since the last build, then
 * serves it on http://localhost:$PORT (bound to 127.0.0.1) with whatever is configured, and
 * everything else sandboxed.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { needsBuild } from "./build-freshness";

async function waitForHealth(url: string, child: ReturnType<typeof spawn>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s; its last answer: ${last}`);
}

async function main() {
  const started = Date.now();
  // Validates the environment first, so a bad value is reported before a long build.
  const { env, modes, sandboxedParts } = await import("@/lib/platform/env");
  const nextBin = path.join("node_modules", ".bin", "next");
  if (needsBuild(process.cwd(), env.NEXT_DIST_DIR)) {
    console.log("Building the production app (first run, sources changed, or the last build was for Vercel)…");
    const build = spawnSync(nextBin, ["build"], { stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const server = spawn(nextBin, ["start", "-H", "127.0.0.1", "-p", String(env.PORT)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));

  // A server that never became healthy is not left running behind a demo that gave up on it.
  await waitForHealth(`http://127.0.0.1:${env.PORT}/api/health`, server).catch((error: unknown) => {
    server.removeAllListeners("exit");
    server.kill("SIGTERM");
    throw error;
  });
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
