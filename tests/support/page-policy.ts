/**
 * The Content-Security-Policy every page must carry, directive by directive, with `nonce` where
 * its nonce goes: what `proxy.ts` sends, and what the Vercel build bundles for it. One more source
 * anywhere (say 'unsafe-inline') makes a comparison with it fail.
 */
export const pagePolicy = (nonce: string): string[] => [
  "default-src 'self'",
  `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
  `style-src 'self' 'nonce-${nonce}'`,
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];
