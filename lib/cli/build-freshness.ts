/** Whether `npm run demo` must build the production app before serving it. */
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

/**
 * `vercel build` builds into the same folder for Vercel, the embedded database compiled out, and
 * writes its output after: a build older than that output is that one, and the demo makes its own.
 */
function builtForVercel(root: string, buildId: string): boolean {
  const vercelOutput = path.join(root, ".vercel", "output", "config.json");
  return existsSync(vercelOutput) && statSync(vercelOutput).mtimeMs >= statSync(buildId).mtimeMs;
}

/** No build yet, sources newer than the build, or a build made by `vercel build`. */
export function needsBuild(root: string, distDir: string): boolean {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (!existsSync(buildId) || builtForVercel(root, buildId)) return true;
  return Math.max(...SOURCES.map((source) => newestMtime(path.join(root, source)))) > statSync(buildId).mtimeMs;
}
