import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/platform/env-schema";
import {
  ANSWER_RESERVE_MS,
  PAGE_MAX_DURATION_S,
  upstreamTimeLeftMs,
  withinMaxDuration,
  withinTimeLeft,
} from "@/lib/platform/function-deadline";

const root = path.resolve(import.meta.dirname, "../..");
const routeFiles = (dir: string): string[] =>
  readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? routeFiles(path.join(dir, entry.name))
      : entry.name === "route.ts"
        ? [path.join(dir, entry.name)]
        : [],
  );
const vercelJson = JSON.parse(readFileSync(path.join(root, "vercel.json"), "utf8")) as {
  functions: Record<string, { maxDuration: number }>;
};

describe("the function's time limit", () => {
  it("leaves a call its own budget where no limit was declared", () => {
    expect(upstreamTimeLeftMs()).toBeUndefined();
    expect(withinTimeLeft(120_000)).toBe(120_000);
  });

  it("cuts a call's budget to the limit less the time kept to answer, and leaves a shorter budget alone", async () => {
    await withinMaxDuration(30, async () => {
      const left = upstreamTimeLeftMs()!;
      expect(left).toBeLessThanOrEqual(30_000 - ANSWER_RESERVE_MS);
      expect(left).toBeGreaterThan(30_000 - ANSWER_RESERVE_MS - 1_000);
      expect(withinTimeLeft(40_000)).toBeLessThanOrEqual(30_000 - ANSWER_RESERVE_MS);
      expect(withinTimeLeft(1_000)).toBe(1_000);
    });
  });

  it("keeps the earlier limit when one is declared inside another, and leaves nothing once the reserve is reached", async () => {
    await withinMaxDuration(10, () =>
      withinMaxDuration(300, async () => {
        expect(upstreamTimeLeftMs()).toBeLessThanOrEqual(10_000 - ANSWER_RESERVE_MS);
      }),
    );
    await withinMaxDuration(ANSWER_RESERVE_MS / 1_000, async () => expect(withinTimeLeft(5_000)).toBe(0));
  });

  it("keeps each request's limit to itself when requests run at once", async () => {
    const seen = await Promise.all(
      [30, 90].map((limit) =>
        withinMaxDuration(limit, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return Math.round(upstreamTimeLeftMs()! / 10_000);
        }),
      ),
    );
    expect(seen).toEqual([3, 9]);
    expect(upstreamTimeLeftMs()).toBeUndefined();
  });

  it("is handed to every route of a route file that declares a maxDuration, so their upstream calls end within it", () => {
    const declaring = routeFiles("app/api").filter((file) =>
      /^export const maxDuration = \d+;$/m.test(readFileSync(path.join(root, file), "utf8")),
    );
    expect(declaring.length).toBeGreaterThanOrEqual(8);
    for (const file of declaring) {
      const source = readFileSync(path.join(root, file), "utf8");
      const routes = source.match(/= route\(\s*\{[^]*?\n?\s*\},\n?\s*(async|\()/g) ?? [];
      expect({ file, routes: routes.length }).not.toEqual({ file, routes: 0 });
      for (const spec of routes)
        expect({ file, passesMaxDuration: /\bmaxDuration\b/.test(spec) }).toEqual({
          file,
          passesMaxDuration: true,
        });
    }
  });

  it("assumes for server actions the maxDuration vercel.json gives every page", () => {
    const pages = Object.entries(vercelJson.functions).filter(([pattern]) => pattern.endsWith("page.tsx"));
    expect(pages.length).toBeGreaterThan(0);
    for (const [pattern, { maxDuration }] of pages)
      expect({ pattern, maxDuration }).toEqual({ pattern, maxDuration: PAGE_MAX_DURATION_S });
  });

  it("refuses a health-check timeout longer than the functions that run checks can wait, and takes the longest they can", () => {
    const longest = PAGE_MAX_DURATION_S * 1_000 - ANSWER_RESERVE_MS;
    expect(parseEnv({ CONDUCTOR_HEALTH_CHECK_TIMEOUT_MS: String(longest) }).CONDUCTOR_HEALTH_CHECK_TIMEOUT_MS).toBe(
      longest,
    );
    expect(() => parseEnv({ CONDUCTOR_HEALTH_CHECK_TIMEOUT_MS: String(longest + 1) })).toThrow(
      /CONDUCTOR_HEALTH_CHECK_TIMEOUT_MS must be at most 87000/,
    );
  });
});
