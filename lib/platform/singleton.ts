/**
 * One instance per process of things that hold connections or state (the database pool, the SDK
 * client, the in-app sandbox, rate-limit leases). Next.js bundles a module into several server
 * chunks, and dev mode reloads modules, so a module-level `let` would not be shared: the instance
 * lives on globalThis under its key instead. Keep behaviour out of them: an object built by one
 * chunk's code would hand another chunk that chunk's copies of our classes.
 */
const registry = ((globalThis as { [key: symbol]: Map<string, unknown> })[
  Symbol.for("conductor-onboarding.singletons")
] ??= new Map<string, unknown>());

export function singleton<T>(key: string, create: () => T): T {
  if (!registry.has(key)) registry.set(key, create());
  return registry.get(key) as T;
}

/** The instance under `key` if one was made, without making one. */
export function existingSingleton<T>(key: string): T | undefined {
  return registry.get(key) as T | undefined;
}

/** Forgets an instance (for example a connection attempt that failed), so the next call creates it again. */
export function forgetSingleton(key: string): void {
  registry.delete(key);
}
