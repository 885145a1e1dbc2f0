/**
 * No secret reaches a browser or a log: the Conductor key (also the Altur and Dify keys here),
 * AUTH_SECRET, both service tokens, CRON_SECRET and the SMTP password are absent from the built
 * client output (the test build is made with all of them set), from every page and API answer,
 * and from everything the app process printed while the whole run used it. This file runs last
 * (its own vitest project, after the integration, fuzz and browser projects), so the log it reads
 * holds everything they did.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_DIST_DIR } from "../support/app-server";
import { h } from "../support/harness";

const { secretKey, publishableKey, appLogFile, appEnv } = h.stack;

/** Every secret of the app's environment, by the variable that holds it. */
const SECRETS: [name: string, value: string][] = [
  ["CONDUCTOR_SECRET_KEY", appEnv.CONDUCTOR_SECRET_KEY!],
  ["ALTUR_API_KEY", appEnv.ALTUR_API_KEY!],
  ["DIFY_API_KEY", appEnv.DIFY_API_KEY!],
  ["AUTH_SECRET", appEnv.AUTH_SECRET!],
  ["CRON_SECRET", appEnv.CRON_SECRET!],
  ...h.stack.serviceTokens.map((token, i): [string, string] => [`LOOKUP_API_TOKENS[${i}]`, token]),
  ["EMAIL_SERVER password", decodeURIComponent(new URL(appEnv.EMAIL_SERVER!).password)],
];

/** The names of the secrets `text` holds. */
const leaked = (text: string) => SECRETS.filter(([, value]) => text.includes(value)).map(([name]) => name);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

describe("the app's secrets", () => {
  it("are canaries the test build was made with, each long enough to find", () => {
    expect(secretKey).toMatch(/^sk_conductor_canary_[0-9a-f]+$/);
    for (const [name, value] of SECRETS) expect(value.length, name).toBeGreaterThanOrEqual(16);
  });

  it("appear nowhere in the client output of the build", () => {
    const client = files(path.join(TEST_DIST_DIR, "static"));
    expect(client.length).toBeGreaterThan(10);
    const leaks = client.flatMap((file) => {
      const text = readFileSync(file, "latin1");
      const names = leaked(text);
      if (/sk_conductor_canary/.test(text)) names.push("a Conductor canary key");
      return names.map((name) => `${name} in ${file}`);
    });
    expect(leaks).toEqual([]);
  });

  it("appear in no page or API answer, HTML or RSC, whoever asks", async () => {
    const { client: customer, endUser } = await h.onboardedCustomer("canary", "Canary Co");
    const operator = await h.operator();
    const service = h.client();
    const paths = [
      "/",
      "/signin",
      "/onboarding",
      "/end-users",
      `/end-users/${endUser.id}`,
      "/api/health",
      "/api/openapi.json",
      "/audit",
      "/api/end-users",
      `/api/end-users/${endUser.id}`,
      `/api/end-users/lookup?id=${endUser.id}`,
      "/api/audit",
      "/api/audit.csv",
      "/api/openapi.json",
      "/api/auth/session",
      "/api/auth/providers",
      "/api/auth/csrf",
    ];
    const callers: [string, typeof customer, Record<string, string>][] = [
      ["customer", customer, {}],
      ["operator", operator, {}],
      ["service", service, { authorization: `Bearer ${h.stack.serviceTokens[0]}` }],
    ];
    for (const [who, client, auth] of callers) {
      for (const target of paths) {
        for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
          const response = await client.fetch(target, { headers: { ...auth, ...headers } });
          const answer = `${[...response.headers].join("\n")}\n${await response.text()}`;
          expect(leaked(answer), `${who} ${target}`).toEqual([]);
        }
      }
    }
  });

  it("appear in none of the app's log lines, Conductor calls and sign-in mail included", async () => {
    // At least one call to Conductor and one sign-in mail are logged, whatever ran before.
    await h.onboardedCustomer("canary-log", "Canary Log Co");
    await expect.poll(() => readFileSync(appLogFile, "utf8"), { timeout: 10_000 }).toContain("conductor.call");
    expect(leaked(readFileSync(appLogFile, "utf8"))).toEqual([]);
  });
});

describe("the Conductor publishable key", () => {
  it("is read on the server only: it appears nowhere in the client output of the build", () => {
    const client = files(path.join(TEST_DIST_DIR, "static"));
    expect(client.filter((file) => readFileSync(file, "latin1").includes(publishableKey))).toEqual([]);
  });
});
