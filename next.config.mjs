import { createJiti } from "jiti";

// Validates the environment once, here, so that a bad deployment fails at build and at start.
const jiti = createJiti(import.meta.url);
const { env } = await jiti.import("./lib/platform/env.ts");

const securityHeaders = [
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  distDir: env.NEXT_DIST_DIR,
  poweredByHeader: false,
  // The build checks the app's own code; `npm test` type-checks everything, tests included.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  typedRoutes: false,
  experimental: { authInterrupts: true },
  // Compile-time constant read by lib/db/client.ts: Vercel builds drop the embedded database.
  compiler: { defineServer: { "process.env.EMBEDDED_DATABASE_BUILD": env.VERCEL ? "false" : "true" } },
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
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
