import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { needsBuild } from "@/lib/cli/build-freshness";

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A checkout with one source file and a build, each written at the given second. */
function checkout(times: { source: number; build?: number; vercelOutput?: number }): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "demo-build-"));
  roots.push(root);
  const write = (file: string, at: number) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), "x");
    utimesSync(path.join(root, file), at, at);
  };
  write("app/page.tsx", times.source);
  if (times.build !== undefined) write(".next/BUILD_ID", times.build);
  if (times.vercelOutput !== undefined) write(".vercel/output/config.json", times.vercelOutput);
  return root;
}

describe("whether npm run demo builds first", () => {
  it("builds when there is no build, or a source is newer than it", () => {
    expect(needsBuild(checkout({ source: 1000 }), ".next")).toBe(true);
    expect(needsBuild(checkout({ source: 2000, build: 1000 }), ".next")).toBe(true);
  });

  it("serves the build it has when nothing changed since", () => {
    expect(needsBuild(checkout({ source: 1000, build: 2000 }), ".next")).toBe(false);
    expect(needsBuild(checkout({ source: 1000, build: 3000, vercelOutput: 2000 }), ".next")).toBe(false);
  });

  it("builds again over a build that vercel build made, whose embedded database is compiled out", () => {
    expect(needsBuild(checkout({ source: 1000, build: 2000, vercelOutput: 2001 }), ".next")).toBe(true);
  });
});
