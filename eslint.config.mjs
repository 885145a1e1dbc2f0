import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The layers, top to bottom, and what each may import of the project (README, "How it is built").
 * A folder imports only the folders listed for it: a violation is a lint error, like reading
 * process.env outside lib/platform/env.ts.
 */
const LAYERS = {
  "lib/cli": ["cli", "use-cases", "web", "wiring", "vendors", "sandbox", "data", "db", "model", "platform"],
  "lib/use-cases": ["use-cases", "wiring", "vendors", "data", "model", "platform"],
  "lib/web": ["web", "data", "model", "platform"],
  "lib/wiring": ["wiring", "vendors", "sandbox", "model", "platform"],
  "lib/vendors": ["vendors", "model", "platform"],
  "lib/sandbox": ["sandbox"],
  "lib/data": ["data", "db", "model", "platform"],
  "lib/db": ["db", "platform"],
  "lib/model": ["model", "platform"],
  "lib/platform": ["platform"],
};
const APP = ["use-cases", "web", "model", "platform"];

const forbidOthers = (allowed, extra = []) => ({
  "no-restricted-imports": [
    "error",
    {
      patterns: [
        {
          regex: `^@/lib/(?!(?:${allowed.join("|")})(?:/|$))`,
          message: `This layer may import only lib/{${allowed.join(",")}} (see the layers in eslint.config.mjs).`,
        },
        { regex: "^@/lib/db/generated", message: "Prisma's generated code stays in lib/db and lib/data." },
        { regex: "^\\.\\./", message: "Import other folders through @/…, so the layer rules can see them." },
        ...extra,
      ],
    },
  ],
});

const generatedAllowed = (allowed) => {
  const rules = forbidOthers(allowed);
  rules["no-restricted-imports"][1].patterns.splice(1, 1);
  return rules;
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    ".vercel/**",
    ".data/**",
    "test-results/**",
    "lib/db/generated/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-cycle": ["error", { ignoreExternal: true }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through lib/platform/env.ts.",
        },
      ],
    },
    settings: { "import/resolver": { typescript: { project: "./tsconfig.json" } } },
  },
  ...Object.entries(LAYERS).map(([folder, allowed]) => ({
    files: [`${folder}/**`],
    rules: folder === "lib/db" || folder === "lib/data" ? generatedAllowed(allowed) : forbidOthers(allowed),
  })),
  {
    files: ["app/**"],
    rules: forbidOthers(APP, [
      { regex: "^@/app/(?!_components/)", message: "Share components through app/_components." },
    ]),
  },
  // The OpenAPI document reads each route handler's own schemas.
  {
    files: ["app/api/openapi.json/operations.ts"],
    rules: forbidOthers(APP, [
      { regex: "^@/app/(?!_components/|api/.*/route$)", message: "Only route handlers' specs are read here." },
    ]),
  },
  // The sandbox's own pages (its mailbox and auth flow) are part of the sandbox wiring.
  { files: ["app/sandbox/**"], rules: forbidOthers([...APP, "wiring"]) },
  { files: ["instrumentation.ts", "proxy.ts"], rules: forbidOthers(["use-cases", "platform"]) },
  // Every line the app prints goes through the one logger; scripts talk to the person running them.
  { files: ["app/**", "lib/**", "instrumentation.ts", "proxy.ts"], rules: { "no-console": "error" } },
  { files: ["lib/platform/log.ts", "lib/cli/**"], rules: { "no-console": "off" } },
  {
    files: ["lib/platform/env.ts", "tests/**", "lib/cli/**", "proxy.ts", "instrumentation.ts", "prisma.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
]);
