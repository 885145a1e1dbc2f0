/**
 * Production builds of our app (into `.next-bench`, leaving `.next` and `.next-test` alone) and of
 * the empty Next.js app (bench/empty-next-app, into `.next-bench-empty`). Both dist folders match
 * the root ESLint ignore `.next-*` and, being dot-folders, no tsconfig glob.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { baseEnv } from "@/tests/support/app-server";
import { progress } from "./progress";

export const APP_DIST = ".next-bench";
export const EMPTY_APP = path.join("bench", "empty-next-app");
export const EMPTY_DIST = ".next-bench-empty"; // bench/empty-next-app/next.config.mjs

const NEXT_CLI = path.join("node_modules", "next", "dist", "bin", "next");

/**
 * `next build` adds `<distDir>/types/**` to tsconfig.json's include and points next-env.d.ts at
 * it. Put both back as they were, so a bench run changes no file outside bench/ (only when they
 * hold that change, so an edit made meanwhile is never lost).
 */
function keepRootTypeFiles(build: () => void): void {
  const before = Object.fromEntries(
    ["tsconfig.json", "next-env.d.ts"].map((file) => [file, existsSync(file) ? readFileSync(file, "utf8") : null]),
  );
  try {
    build();
  } finally {
    const now = readFileSync("tsconfig.json", "utf8");
    const added = [`${APP_DIST}/types/**/*.ts`, `${APP_DIST}/dev/types/**/*.ts`];
    const withoutAdded = (text: string) => {
      try {
        const config = JSON.parse(text) as { include?: string[] };
        return JSON.stringify({ ...config, include: config.include?.filter((item) => !added.includes(item)) });
      } catch {
        return null; // not plain JSON (comments): leave it for a person to look at
      }
    };
    const original = before["tsconfig.json"];
    if (original && now !== original && withoutAdded(now) !== null && withoutAdded(now) === withoutAdded(original)) {
      writeFileSync("tsconfig.json", original);
    }
    const nextEnv = existsSync("next-env.d.ts") ? readFileSync("next-env.d.ts", "utf8") : "";
    if (before["next-env.d.ts"] && nextEnv.includes(`./${APP_DIST}/types/`))
      writeFileSync("next-env.d.ts", before["next-env.d.ts"]);
  }
}

function nextBuild(label: string, args: string[], env: Record<string, string>): void {
  const started = performance.now();
  const result = spawnSync(process.execPath, [NEXT_CLI, "build", ...args], {
    env: { ...baseEnv(), ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`next build (${label}) failed:\n${result.stdout}\n${result.stderr}`);
  progress(`built ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Builds our app alone (for a measurement that needs no baseline), unless BENCH_REUSE_BUILD=1 and it exists. */
export function buildOurApp(appEnv: Record<string, string>): void {
  if (process.env.BENCH_REUSE_BUILD === "1" && existsSync(path.join(APP_DIST, "BUILD_ID"))) return;
  keepRootTypeFiles(() => nextBuild(`our app (${APP_DIST})`, [], { ...appEnv, NEXT_DIST_DIR: APP_DIST }));
}

/** Builds both (ours with the environment it will run with), unless BENCH_REUSE_BUILD=1 and both builds exist (for iterating on the bench itself). */
export function buildApps(appEnv: Record<string, string>): void {
  const reuse = process.env.BENCH_REUSE_BUILD === "1";
  buildOurApp(appEnv);
  if (!(reuse && existsSync(path.join(EMPTY_DIST, "BUILD_ID"))))
    nextBuild(`the empty Next app (${EMPTY_DIST})`, [EMPTY_APP], {});
}
