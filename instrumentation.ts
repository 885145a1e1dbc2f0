import type { Instrumentation } from "next";

/**
 * Runs once when a server starts, before it takes requests: the environment is validated (a bad
 * one stops the process, with a message naming each variable: `next start` does not validate it
 * otherwise) and handed to the request bundles, which then load no validator of their own; the
 * embedded database (when used) is started and migrated so the first request does not wait;
 * requests Next.js cannot serve are answered before it sees them (raw-request-guard.ts); and,
 * off Vercel, the reconcile job is scheduled in-process. Nothing else is loaded: a cold start's
 * first request loads what it needs itself.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { guardRawRequests } = await import("./lib/platform/raw-request-guard");
  guardRawRequests();
  const { log } = await import("./lib/platform/log");
  try {
    const { validateAtStart } = await import("./lib/platform/env-schema");
    validateAtStart(process.env);
  } catch (error) {
    const { refuseToStart } = await import("./lib/platform/refuse-start");
    refuseToStart(error);
  }
  const { env, modes, sandboxedParts } = await import("./lib/platform/env");
  const { answerOnlyAt, trustProxyHeaders } = await import("./lib/platform/raw-request-guard");
  const proxied = Boolean(env.VERCEL) || Boolean(env.TRUST_PROXY_HEADERS);
  trustProxyHeaders(proxied);
  const { isLoopback, serverListenAddress } = await import("./lib/platform/listen-address");
  const listensOn = serverListenAddress();
  const loopbackOnly = !proxied && listensOn !== null && isLoopback(listensOn);
  answerOnlyAt(loopbackOnly ? (modes.authUrl ? [new URL(modes.authUrl).hostname] : []) : null);
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

/**
 * What Next.js caught itself (a page or layout that threw): one JSON line carrying the digest the
 * error page shows the person as its reference, so that the reference finds the cause in the log's
 * own format (Next.js also prints the error, as plain text, without the digest). Our own errors
 * (AppError) are conditions already worded for the person: their line has the code, not a stack.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  const { causeOf, log } = await import("./lib/platform/log");
  const { AppError } = await import("./lib/platform/errors/app-error");
  const where = {
    digest: (error as { digest?: unknown })?.digest?.toString(),
    method: request.method,
    path: request.path.split("?")[0],
    routePath: context.routePath,
    routeType: context.routeType,
  };
  if (error instanceof AppError) return log.warn("request.unhandled", { ...where, code: error.code });
  log.error("request.unhandled", { ...where, ...causeOf(error) });
};
