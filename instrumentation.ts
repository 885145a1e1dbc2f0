/**
 * Runs once when a server starts, before it takes requests: the environment is validated (a bad
 * one stops the server with a message naming each variable), the embedded database (when used)
 * is started and migrated so the first request does not wait, and, off Vercel, the reconcile
 * job is scheduled in-process.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, modes, sandboxedParts } = await import("./lib/platform/env");
  const { log } = await import("./lib/platform/log");
  if (modes.database === "embedded") {
    const { checkHealth } = await import("./lib/use-cases/health");
    await checkHealth();
  }
  if (!env.VERCEL && env.RECONCILE_INTERVAL_MINUTES > 0) {
    const { scheduleReconcile } = await import("./lib/use-cases/reconcile/schedule");
    scheduleReconcile(env.RECONCILE_INTERVAL_MINUTES);
  }
  log.info("server.ready", { sandboxed: sandboxedParts(modes), conductor: modes.conductor });
}
