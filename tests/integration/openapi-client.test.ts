/**
 * README's typed client works as printed: types generated from the running app's OpenAPI document
 * with openapi-typescript, README's own code block type-checked against them (strict), then run
 * with a service token against the lookup.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { baseEnv, runProcess } from "../support/processes";

const folder = path.resolve(`test-results/typed-client-${process.pid}`);

/** The ```ts block of README that uses openapi-fetch. */
function readmeClient(): string {
  const blocks = [...readFileSync("README.md", "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => code!);
  const client = blocks.find((code) => code.includes('from "openapi-fetch"'));
  if (!client) throw new Error("README has no typed client example");
  return client;
}

/** Type errors of `files` (written into the folder) under strict settings, as text. */
function typeErrors(files: Record<string, string>): string[] {
  for (const [name, code] of Object.entries(files)) writeFileSync(path.join(folder, name), code);
  const program = ts.createProgram(
    Object.keys(files).map((name) => path.join(folder, name)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node"],
    },
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
}

beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  const document = await (await h.fetch(`${h.stack.appOrigin}/api/openapi.json`)).json();
  writeFileSync(path.join(folder, "onboarding-api.d.ts"), astToString(await openapiTS(document)));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("README's typed client (openapi-typescript + openapi-fetch)", () => {
  it("type-checks under strict settings against types generated from the served document", () => {
    expect(typeErrors({ "client.ts": readmeClient() })).toEqual([]);
  });

  it("is typed for real: a misspelled parameter or a field the lookup does not answer is a type error", () => {
    const misuse = `
      import createClient from "openapi-fetch";
      import type { paths } from "./onboarding-api";
      const api = createClient<paths>({ baseUrl: "http://localhost" });
      export async function wrong() {
        const { data } = await api.GET("/api/end-users/lookup", { params: { query: { sourceID: "x" } } });
        return data?.conductorId;
      }
    `;
    const errors = typeErrors({ "misuse.ts": misuse });
    expect(errors.some((error) => error.includes("sourceID"))).toBe(true);
    expect(errors.some((error) => error.includes("conductorId"))).toBe(true);
  });

  it("finds a customer's Conductor id with a service token, and null for a user without one", async () => {
    const { endUser } = await h.onboardedCustomer("typed-client", "Typed Client Co");
    writeFileSync(
      path.join(folder, "run.ts"),
      `import { conductorIdOf } from "./client";
       const [known, unknown] = await Promise.all([conductorIdOf(process.argv[2]!), conductorIdOf("nobody-here")]);
       console.log(JSON.stringify({ known, unknown }));`,
    );
    const run = await runProcess(process.execPath, ["--import", "tsx", path.join(folder, "run.ts"), endUser.sourceId], {
      env: { ...baseEnv(), ONBOARDING_URL: h.stack.appOrigin, ONBOARDING_SERVICE_TOKEN: h.stack.serviceTokens[0]! },
      timeoutMs: 60_000,
    });
    expect(run.code, run.output).toBe(0);
    expect(JSON.parse(run.output.trim().split("\n").at(-1)!)).toEqual({ known: endUser.id, unknown: null });
  });
});
