import "server-only";
import { modes } from "@/lib/platform/env";

/**
 * The origin people reach the app at, for links that leave it (Conductor's flow sends the customer
 * back there): AUTH_URL, or off Vercel http://localhost:PORT; on Vercel the forwarded host.
 */
export function publicOrigin(headers: Headers): string {
  if (modes.authUrl) return new URL(modes.authUrl).origin;
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost";
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "https";
  return `${proto}://${host}`;
}
