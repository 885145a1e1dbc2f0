import { env } from "@/lib/env";

export type Role = "operator" | "customer";

/** Checked on every request, so removing an address from ADMIN_EMAILS takes effect at once. */
export function roleFor(email: string): Role {
  return env.ADMIN_EMAILS.includes(email.toLowerCase()) ? "operator" : "customer";
}
