/** Who is calling a route: a session, a service token, the cron secret, or nobody. */
import "server-only";
import { isIP } from "node:net";
import type { NextRequest } from "next/server";
import { isPerson, type Actor, type Person } from "@/lib/model/actor";
import { env } from "@/lib/platform/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { bearerToken, isBearerScheme, verifySecret, verifyServiceToken } from "@/lib/web/auth/service-tokens";
import { getViewer } from "@/lib/web/auth/viewer";
import { sameOriginRequest } from "@/lib/platform/request-origin";

/** Who may call a route. */
export type Allow = "anyone" | "operator" | "customer-or-operator" | "service-or-operator" | "cron";

/** Routes a bearer token opens, whose 401 says so (RFC 6750); the rest take a session cookie. */
export const BEARER_ROUTES: ReadonlySet<Allow> = new Set(["service-or-operator", "cron"]);

export async function authenticate(request: NextRequest, allow: Allow): Promise<Actor> {
  const header = request.headers.get("authorization");
  if (allow === "cron") {
    const secret = wellFormedBearer(header);
    return secret && verifySecret(secret, env.CRON_SECRET) ? { kind: "cron" } : { kind: "anonymous" };
  }
  if (header !== null && allow === "service-or-operator") {
    // A credential was presented: it alone decides, whatever cookies come with it.
    return serviceActor(header);
  }
  if (allow === "anyone") return { kind: "anonymous" };
  const viewer = await getViewer();
  if (viewer) return acceptedFrom(request, viewer);
  // A valid service token where only people may act is known but not permitted (403), not unknown (401).
  return header === null ? { kind: "anonymous" } : serviceActor(header);
}

/** Methods that change nothing: another site's page may read nothing with them either (no CORS). */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A session cookie acts only for this site's own pages: a browser on another site's page sends it
 * along (SameSite=Lax lets a top-level one through), so a change asked from there is refused, as
 * forms and server actions refuse it in the proxy.
 */
function acceptedFrom(request: NextRequest, viewer: Person): Person {
  if (SAFE_METHODS.has(request.method) || sameOriginRequest(request.headers)) return viewer;
  throw new AppError("forbidden", "Changes made with a session are accepted only from this site's own pages.");
}

/**
 * The bearer credential, or null when none was sent; the bearer scheme with anything but one token
 * after it is a malformed request (RFC 6750: 400 invalid_request), not a wrong credential.
 */
function wellFormedBearer(header: string | null): string | null {
  const token = bearerToken(header);
  if (token === null && isBearerScheme(header))
    throw AppError.invalid(
      { authorization: ["must be the Bearer scheme, then one token after a space"] },
      "The Authorization header is malformed: send Bearer and the token.",
    );
  return token;
}

function serviceActor(header: string): Actor {
  const token = wellFormedBearer(header);
  const tokenId = token ? verifyServiceToken(token) : null;
  return tokenId ? { kind: "service", tokenId } : { kind: "anonymous" };
}

const PERMITTED: Record<Allow, Actor["kind"][]> = {
  anyone: ["anonymous", "customer", "operator", "service", "cron"],
  operator: ["operator"],
  "customer-or-operator": ["customer", "operator"],
  "service-or-operator": ["service", "operator"],
  cron: ["cron"],
};

/** What a caller with no (valid) credential is told to bring: only what the route takes. */
const CREDENTIAL: Record<Exclude<Allow, "anyone">, string> = {
  operator: "Sign in first.",
  "customer-or-operator": "Sign in first.",
  "service-or-operator": "Sign in, or send a valid service token.",
  cron: "Send the cron secret as a bearer token.",
};

/**
 * `bearerSent`: the request carried a bearer token, which on a route a service token opens decides
 * alone: a signed-in caller whose token is wrong is told of the token, not to sign in.
 */
export function authorize(actor: Actor, allow: Allow, { bearerSent = false } = {}): void {
  if (PERMITTED[allow].includes(actor.kind)) return;
  if (actor.kind === "anonymous" && bearerSent && allow === "service-or-operator")
    throw new AppError(
      "unauthenticated",
      "The bearer token is not a valid service token. Send a valid one; signed in, leave the Authorization header out, as it decides alone.",
    );
  if (actor.kind === "anonymous")
    throw new AppError("unauthenticated", allow === "anyone" ? undefined : CREDENTIAL[allow]);
  throw actor.kind === "service"
    ? new AppError("forbidden", "A service token cannot call this route: it is for signed-in people.")
    : new AppError("forbidden");
}

/**
 * The client's address as the platform reports it (Vercel, or a proxy in front): X-Real-IP, or the
 * last X-Forwarded-For entry, the one the proxy nearest to us added (a proxy that appends keeps
 * whatever the client wrote before it). What is not an IP address counts as "unknown": a rate-limit
 * key a client cannot make long, or many.
 */
export function clientIp(headers: Headers): string {
  const reported = headers.get("x-real-ip")?.trim() || headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return reported && isIP(reported) ? reported : "unknown";
}

/** A signed-in person's rate-limit key: the same whether they call a route or a form's action. */
export const personKey = (person: Person) => `user:${person.id}`;

/** The rate-limit key of an authenticated caller, or null for the anonymous. */
export function callerKey(actor: Actor): string | null {
  if (actor.kind === "service") return `token:${actor.tokenId}`;
  if (isPerson(actor)) return personKey(actor);
  return null;
}
