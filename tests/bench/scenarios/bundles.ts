/**
 * Row 7a: First Load JS per page route, gzip, from Next 16's diagnostics/route-bundle-stats.json
 * (each chunk gzipped at level 9, as Next's old build output did), against the empty Next app.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Row } from "../report";
import { APP_DIST, EMPTY_APP } from "../context";
import { kib } from "../measure/stats";

const TARGET_ADDED_BYTES = 20 * 1024;

type RouteStats = { route: string; firstLoadUncompressedJsBytes: number; firstLoadChunkPaths: string[] };

/** Route → gzip bytes of its first-load chunks (chunk paths are relative to the project folder). */
function firstLoadGzip(distDir: string, projectDir: string): Map<string, number> {
  const stats = JSON.parse(
    readFileSync(path.join(distDir, "diagnostics", "route-bundle-stats.json"), "utf8"),
  ) as RouteStats[];
  return new Map(
    stats.map((entry) => [
      entry.route,
      entry.firstLoadChunkPaths.reduce(
        (sum, chunk) => sum + gzipSync(readFileSync(path.join(projectDir, chunk)), { level: 9 }).length,
        0,
      ),
    ]),
  );
}

export function measureBundles(): Row[] {
  const ours = firstLoadGzip(APP_DIST, ".");
  const minimal = firstLoadGzip(EMPTY_APP.distDir, EMPTY_APP.dir).get("/");
  const onboarding = ours.get("/onboarding");
  if (minimal === undefined || onboarding === undefined)
    throw new Error("route-bundle-stats.json lacks / or /onboarding");
  const others = [...ours].filter(([route]) => route !== "/onboarding").sort(([a], [b]) => a.localeCompare(b));
  return [
    {
      n: 7,
      what: "First Load JS (gzip) of /onboarding",
      result: kib(onboarding),
      compared: `empty Next app's page: ${kib(minimal)} → +${kib(onboarding - minimal)}`,
      target: `≤ minimal page + ${kib(TARGET_ADDED_BYTES)}`,
      met: onboarding - minimal <= TARGET_ADDED_BYTES,
    },
    {
      n: 7,
      what: "First Load JS (gzip), every other route",
      result: others.map(([route, bytes]) => `${route} ${kib(bytes)}`).join("; "),
      compared: `empty Next app's page: ${kib(minimal)}`,
    },
  ];
}
