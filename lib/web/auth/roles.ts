import type { Person } from "@/lib/model/actor";
import { env } from "@/lib/platform/env";

/**
 * Decided on every request, against ADMIN_EMAILS as the process read it at start: removing an
 * address takes effect once the app restarts (a redeploy on Vercel), and that person's sessions
 * then act as a customer's.
 */
export function roleFor(email: string): Person["kind"] {
  return env.ADMIN_EMAILS.includes(email.toLowerCase()) ? "operator" : "customer";
}
