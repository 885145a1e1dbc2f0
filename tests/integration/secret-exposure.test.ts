/**
 * The Conductor secret key never reaches a browser or a log: it is absent from the built client
 * output (the test build is made with the key set), from every page and API answer, and from
 * everything the app process printed while the whole suite ran against it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_DIST_DIR } from "../support/app-server";
import { h } from "../support/harness";

const { secretKey, publishableKey, appLogFile } = h.stack;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

describe("the Conductor secret key", () => {
  it("is a canary the test build was made with", () => {
    expect(secretKey).toMatch(/^sk_conductor_canary_[0-9a-f]+$/);
  });

  it("appears nowhere in the client output of the build", () => {
    const client = files(path.join(TEST_DIST_DIR, "static"));
    expect(client.length).toBeGreaterThan(10);
    const leaks = client.filter(
      (file) => readFileSync(file).includes(secretKey) || /sk_conductor_canary/.test(readFileSync(file, "latin1")),
    );
    expect(leaks).toEqual([]);
  });

  it("appears in no page or API answer, HTML or RSC", async () => {
    const { client: customer, endUser } = await h.onboardedCustomer("canary", "Canary Co");
    const operator = await h.operator();
    const paths = [
      "/",
      "/signin",
      "/onboarding",
      "/end-users",
      `/end-users/${endUser.id}`,
      "/api/health",
      "/api/openapi.json",
      "/api/end-users",
      `/api/end-users/${endUser.id}`,
    ];
    for (const client of [customer, operator]) {
      for (const target of paths) {
        for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
          const body = await (await client.fetch(target, { headers })).text();
          expect(body, target).not.toContain(secretKey);
        }
      }
    }
  });

  it("appears in none of the app's log lines, Conductor calls included", async () => {
    // At least one call to Conductor is logged, whatever ran before.
    await h.onboardedCustomer("canary-log", "Canary Log Co");
    await expect.poll(() => readFileSync(appLogFile, "utf8"), { timeout: 10_000 }).toContain("conductor.call");
    expect(readFileSync(appLogFile, "utf8")).not.toContain(secretKey);
  });
});

describe("the Conductor publishable key", () => {
  it("is read on the server only: it appears nowhere in the client output of the build", () => {
    const client = files(path.join(TEST_DIST_DIR, "static"));
    expect(client.filter((file) => readFileSync(file, "latin1").includes(publishableKey))).toEqual([]);
  });
});
