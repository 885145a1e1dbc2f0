/**
 * The headers every answer carries: set by next.config.mjs on what Next.js serves, and by the
 * server itself on what it answers before Next.js sees a request (raw-request-guard.ts). Plain
 * JavaScript, so that next.config.mjs loads it at start without compiling TypeScript.
 */
export const securityHeaders = [
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

/** What a JSON answer needs for sources: none. */
export const jsonContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
