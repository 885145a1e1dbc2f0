/**
 * On a long-running server (not Vercel, where a cron calls /api/cron/reconcile), the reconcile
 * job runs in-process every few minutes. Runs never overlap; a failure is logged and retried at
 * the next tick. Several instances may run it at once: claims are taken atomically.
 */
import "server-only";
import { log } from "@/lib/platform/log";
import { reconcile } from "./reconcile";

export function scheduleReconcile(everyMinutes: number): void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await reconcile({ kind: "system", job: "scheduler" });
    } catch (error) {
      log.warn("reconcile.failed", { message: (error as Error).message });
    } finally {
      running = false;
    }
  }, everyMinutes * 60_000);
  timer.unref();
}
