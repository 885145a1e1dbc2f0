import { PHASE_PRODUCTION_SERVER } from "next/constants.js";
import { migrationNames } from "./lib/db/migration-names.mjs";
import { jsonContentSecurityPolicy, securityHeaders } from "./lib/platform/security-headers.mjs";

/**
 * The environment, validated by lib/platform/env.ts, at build (and in development): a bad
 * deployment fails its build. `next start` skips it here: the instrumentation hook validates the
 * environment inside the built server before the first request (and stops the process on a bad
 * one), so a cold start loads the validator once, not also through jiti. Start reads only where
 * the build is.
 */
async function validatedEnv(phase) {
  if (phase === PHASE_PRODUCTION_SERVER) {
    // eslint-disable-next-line no-restricted-syntax -- the one variable start needs before the app loads
    return { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || ".next", VERCEL: undefined };
  }
  const { createJiti } = await import("jiti");
  const { env } = await createJiti(import.meta.url).import("./lib/platform/env.ts");
  return env;
}

/** @type {(phase: string) => Promise<import('next').NextConfig>} */
export default async function nextConfig(phase) {
  const env = await validatedEnv(phase);
  return {
    distDir: env.NEXT_DIST_DIR,
    poweredByHeader: false,
    // The build checks the app's own code; `npm test` type-checks everything, tests included.
    typescript: { tsconfigPath: "tsconfig.build.json" },
    typedRoutes: false,
    experimental: { authInterrupts: true, preloadEntriesOnStart: false },
    // Compile-time constants: Vercel builds drop the embedded database (lib/db/client.ts), and
    // every build names the migration its code needs (lib/db/schema-check.ts).
    compiler: {
      defineServer: {
        "process.env.EMBEDDED_DATABASE_BUILD": env.VERCEL ? "false" : "true",
        // Start reads no folder: the constant is already in the build.
        "process.env.SCHEMA_MIGRATION":
          phase === PHASE_PRODUCTION_SERVER
            ? ""
            : (migrationNames(new URL("./prisma/migrations/", import.meta.url)).at(-1) ?? ""),
      },
    },
    // Loaded by Node at run time rather than bundled: native-like packages (WebAssembly, pg) and
    // the Conductor SDK, whose Node shims pick node-fetch with keep-alive.
    serverExternalPackages: [
      "@electric-sql/pglite",
      "@electric-sql/pglite-socket",
      "@prisma/adapter-pg",
      "pg",
      "conductor-node",
      "nodemailer",
      "ioredis",
    ],
    async headers() {
      return [
        { source: "/:path*", headers: securityHeaders },
        // Pages get a per-request nonce policy from proxy.ts; JSON answers need no sources at all.
        {
          source: "/api/:path*",
          headers: [{ key: "Content-Security-Policy", value: jsonContentSecurityPolicy }],
        },
      ];
    },
  };
}
