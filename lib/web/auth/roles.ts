import type { Person } from "@/lib/model/actor";
import { env } from "@/lib/platform/env";

/** Checked on every request, so removing an address from ADMIN_EMAILS takes effect at once. */
export function roleFor(email: string): Person["kind"] {
  return env.ADMIN_EMAILS.includes(email.toLowerCase()) ? "operator" : "customer";
}
