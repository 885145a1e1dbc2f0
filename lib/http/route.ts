/**
 * The one wrapper every route handler goes through: authenticate, authorize, rate-limit, parse
 * (params, query, JSON body) with zod, run, and map every error to PRODUCT.md's envelope.
 */
import "server-only";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { bearerToken, verifySecret, verifyServiceToken } from "@/lib/auth/service-tokens";
import { getViewer, type Viewer } from "@/lib/auth/viewer";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { hit } from "@/lib/rate-limit";
import { errorResponse } from "./errors";
import { readJsonBody } from "./json-body";
import { parseOrThrow } from "./validation";

export type Actor =
  | { kind: "operator"; viewer: Viewer }
  | { kind: "customer"; viewer: Viewer }
  | { kind: "service"; tokenId: string }
  | { kind: "cron" }
  | { kind: "anonymous" };

/** How an actor is named in audit events: a user id, or the kind of caller. */
export function actorId(actor: Actor): string {
  return actor.kind === "operator" || actor.kind === "customer" ? actor.viewer.id : actor.kind;
}

/** Who may call a route. */
export type Allow = "anyone" | "operator" | "customer-or-operator" | "service-or-operator" | "cron";

type Spec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  allow: Allow;
  params?: P;
  query?: Q;
  body?: B;
  /** Requests per minute allowed per client IP and per caller, counted across instances. */
  rateLimit?: { scope: string; perMinute: number };
};

type Context<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  request: NextRequest;
  actor: Actor;
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
};

async function authenticate(request: NextRequest, allow: Allow): Promise<Actor> {
  const header = request.headers.get("authorization");
  if (allow === "cron") {
    const secret = bearerToken(header);
    return secret && verifySecret(secret, env.CRON_SECRET) ? { kind: "cron" } : { kind: "anonymous" };
  }
  if (header !== null && allow === "service-or-operator") {
    // A credential was presented: it alone decides, whatever cookies come with it.
    const token = bearerToken(header);
    const tokenId = token ? verifyServiceToken(token) : null;
    return tokenId ? { kind: "service", tokenId } : { kind: "anonymous" };
  }
  const viewer = allow === "anyone" ? null : await getViewer();
  if (!viewer) return { kind: "anonymous" };
  return viewer.role === "operator" ? { kind: "operator", viewer } : { kind: "customer", viewer };
}

function authorize(actor: Actor, allow: Allow): void {
  const permitted: Record<Allow, Actor["kind"][]> = {
    anyone: ["anonymous", "customer", "operator", "service", "cron"],
    operator: ["operator"],
    "customer-or-operator": ["customer", "operator"],
    "service-or-operator": ["service", "operator"],
    cron: ["cron"],
  };
  if (permitted[allow].includes(actor.kind)) return;
  throw actor.kind === "anonymous" ? new AppError("unauthenticated") : new AppError("forbidden");
}

/** The client's address as the platform reports it (Vercel, or a proxy that overwrites these). */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return headers.get("x-real-ip") ?? (forwarded || "unknown");
}

function callerKey(actor: Actor): string | null {
  if (actor.kind === "service") return `token:${actor.tokenId}`;
  if (actor.kind === "operator" || actor.kind === "customer") return `user:${actor.viewer.id}`;
  return null;
}

function queryObject(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

export function route<P extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown>(
  spec: Spec<P, Q, B>,
  handler: (context: Context<P, Q, B>) => Promise<Response>,
) {
  return async (request: NextRequest, segment: { params: Promise<unknown> }): Promise<Response> => {
    try {
      const actor = await authenticate(request, spec.allow);
      let rateHeaders: Record<string, string> = {};
      if (spec.rateLimit) {
        const { scope, perMinute } = spec.rateLimit;
        const key = callerKey(actor);
        const decision = await hit([`${scope}:ip:${clientIp(request.headers)}`, ...(key ? [`${scope}:${key}`] : [])], perMinute);
        rateHeaders = { "RateLimit-Limit": String(decision.limit), "RateLimit-Remaining": String(decision.remaining) };
        if (!decision.allowed) {
          throw new AppError("rate_limited", undefined, { retryAfterSeconds: decision.retryAfterSeconds });
        }
      }
      authorize(actor, spec.allow);
      const params = spec.params ? parseOrThrow(spec.params, await segment.params, "path") : undefined;
      const query = parseOrThrow(spec.query ?? z.strictObject({}), queryObject(request.nextUrl), "query");
      const body = spec.body ? parseOrThrow(spec.body, await readJsonBody(request), "body") : undefined;
      const response = await handler({ request, actor, params, query, body } as Context<P, Q, B>);
      for (const [name, value] of Object.entries(rateHeaders)) response.headers.set(name, value);
      return response;
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}
