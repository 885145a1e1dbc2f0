/**
 * Deliberately empty. Turbopack's root is the repo root (where the lockfile is), and without a
 * hook of its own Next 16.4 compiles the root's instrumentation.ts into this app, so `next start`
 * would run our app's start-up (and open the embedded database in the root's .data).
 */
export function register() {}
