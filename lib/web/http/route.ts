/**
 * The one wrapper every route handler goes through: authenticate, authorize, rate-limit, parse
 * (params, query, JSON body) with zod, run, and map every error to the error envelope.
 */
import "server-only";
import type { NextRequest } from "next/server";
import { z } from "zod";
import type { Actor } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import type { ErrorCode } from "@/lib/platform/errors/codes";
import { withinMaxDuration } from "@/lib/platform/function-deadline";
import { parseOrThrow } from "@/lib/platform/errors/validation";
import { budgetSpent, hit, windowOf, type Budget } from "@/lib/web/rate-limit";
import { bearerChallenge, isBearerScheme } from "@/lib/web/auth/service-tokens";
import { deferredBudget } from "@/lib/web/rate-limit/deferred";
import { authenticate, authorize, BEARER_ROUTES, callerKey, clientIp, type Allow } from "./authenticate";
import { errorResponse } from "./error-response";
import { readBodyIfAny, readJsonBody } from "./json-body";

/** No fields at all: a route's query, or body, when its spec names none. */
const NOTHING = z.strictObject({});

type Input<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
};

/** A success status a route answers with: what it means and, for a body, its schema (JSON unless `mediaType`). */
export type Answer = { description: string; schema?: z.ZodType; mediaType?: string };
type Answers = Record<number, Answer>;

type Spec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends Answers> = {
  allow: Allow;
  /** One line for the OpenAPI document. */
  summary: string;
  answers: A;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Requests allowed per caller (token or user), counted across instances; requests without valid
   * credentials count against their client IP instead. With `key`, per what it names of the parsed
   * input (an end-user, say), spent by the handler through `budget` once it is known that the
   * caller may act on it: a caller who may not cannot spend it for those who may.
   */
  rateLimit?: Budget & { key?: (input: Input<P, Q, B>) => string };
  /**
   * A budget the handler spends only on some calls (Conductor reads, when nothing cached will
   * do), said as why it may answer 429; such a route's other answers carry no RateLimit-* headers.
   */
  conditionalBudget?: string;
  /**
   * Throws (or rejects) for input this caller may not send (a customer naming a sourceId): checked
   * with the schemas, before any budget is spent, so such a refusal changes nothing either.
   */
  refuseInput?: (input: Input<P, Q, B>, actor: Actor) => void | Promise<void>;
  /**
   * What it refuses of what it is asked, beyond who may call it, its budget and a malformed
   * request: an unknown end-user, an offboarded one, one being set up. The document declares each
   * code's status with exactly these codes, so an answer of that status with another code fails
   * the contract tests.
   */
  errors?: ErrorCode[];
  /**
   * The route file's own `maxDuration` export, passed on: its upstream calls end in time for the
   * route to answer in its envelope (504 upstream_timeout) before the platform ends the function.
   */
  maxDuration?: number;
};

/** What a route accepts and answers, kept on its handler so the OpenAPI document is built from the same schemas. */
export type RouteSpec = Pick<
  Spec<z.ZodType, z.ZodType, z.ZodType, Answers>,
  "allow" | "summary" | "answers" | "errors" | "conditionalBudget"
> & {
  params?: z.ZodType;
  query: z.ZodType;
  body?: z.ZodType;
  /**
   * The budget that limits it, if one does: its window, and whether it counts per what the input
   * names (an end-user, spent once the caller may act on it) rather than per caller. Its answers
   * carry RateLimit-* headers once it is counted, and it may answer 429.
   */
  budget?: { window: "minute" | "hour"; perKey: boolean };
};

type Body<T extends Answer> = T["schema"] extends z.ZodType ? z.input<T["schema"]> : null;

type Context<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends Answers> = Input<P, Q, B> & {
  request: NextRequest;
  actor: Actor;
  /** One of the answers the spec declares, its body type-checked against that answer's schema. */
  reply: <S extends keyof A & number>(status: S, body: Body<A[S]>, headers?: HeadersInit) => Response;
  /** Spends the keyed rate limit (429 when spent out); a no-op without one. */
  budget: () => Promise<void>;
};

function reply(status: number, body: unknown, headers?: HeadersInit): Response {
  return body === null ? new Response(null, { status, headers }) : Response.json(body, { status, headers });
}

/**
 * Next.js's own parameter: a request carrying an `RSC` header (a client or proxy passing on a
 * page's) is redirected to the same address with it added, which no route's schema names.
 */
const NEXT_RSC_PARAM = "_rsc";

function queryObject(url: URL): Record<string, string | string[]> {
  const query = new Map<string, string | string[]>();
  for (const key of new Set(url.searchParams.keys())) {
    if (key === NEXT_RSC_PARAM) continue;
    const values = url.searchParams.getAll(key);
    query.set(key, values.length === 1 ? values[0]! : values);
  }
  return Object.fromEntries(query);
}

/** Spends one of the budget, telling `headers` what is left; throws rate_limited (429) when spent out. */
async function spend(keys: string[], budget: Budget, headers: Record<string, string>) {
  const { limit, windowMs } = windowOf(budget);
  const decision = await hit(keys, limit, windowMs);
  headers["RateLimit-Limit"] = String(decision.limit);
  headers["RateLimit-Remaining"] = String(decision.allowed ? decision.remaining : 0);
  if (!decision.allowed) throw budgetSpent(budget, decision.retryAfterSeconds);
}

/**
 * The budget's headers go on every answer once it is known, errors (404, 429…) included. Answers
 * carry people's data: no cache may keep one unless its route says otherwise.
 */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  if (!response.headers.has("cache-control")) response.headers.set("Cache-Control", "no-store");
  return response;
}

/**
 * A route that takes no body refuses one it cannot take, as a route with a body schema would (415,
 * 413, invalid JSON, unknown fields), rather than acting as if it were not there: a DELETE sent
 * with `{"confirm": false}` must not delete. An empty object, or no body at all, is fine.
 */
async function noBody(request: Request): Promise<undefined> {
  const length = request.headers.get("content-length");
  if (!request.headers.has("transfer-encoding") && (length === null || Number(length) === 0)) return undefined;
  // Next.js hands a GET (or HEAD) over without its body: what was sent cannot be read, so it cannot be `{}`.
  if (request.method === "GET" || request.method === "HEAD")
    throw AppError.invalid({ body: [`must be empty: a ${request.method} request takes no body`] });
  const body = await readBodyIfAny(request);
  if (body !== undefined) parseOrThrow(NOTHING, body, "body");
  return undefined;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects, so work can start before the code that awaits it is reached. */
const settle = <T>(work: Promise<T>): Promise<Settled<T>> =>
  work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

function attempt<T>(run: () => T): Settled<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Why `actor` may not call a route that allows `allow`, or null when it may. */
function refusalOf(request: NextRequest, actor: Actor, allow: Allow): unknown {
  const authorized = attempt(() =>
    authorize(actor, allow, { bearerSent: isBearerScheme(request.headers.get("authorization")) }),
  );
  return authorized.ok ? null : authorized.error;
}

function outcome<T>(settled: Settled<T>): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}

/**
 * An authenticated caller spends only its own budget; the client IP's budget counts the requests
 * that failed to authenticate (token guessing), so junk from a shared address cannot starve a
 * valid token or session behind the same address.
 */
function callerKeys(request: NextRequest, actor: Actor, scope: string): string[] {
  const key = callerKey(actor);
  return [key ? `${scope}:${key}` : `${scope}:ip:${clientIp(request.headers)}`];
}

export function route<
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
  const A extends Answers = Answers,
>(spec: Spec<P, Q, B, A>, handler: (context: Context<P, Q, B, A>) => Promise<Response>) {
  /** Parses the path, query and JSON body with the spec's schemas. */
  async function readInput(request: NextRequest, segment: { params: Promise<unknown> }) {
    const params = spec.params ? parseOrThrow(spec.params, await segment.params, "path") : undefined;
    const query = parseOrThrow(spec.query ?? NOTHING, queryObject(request.nextUrl), "query");
    const body = spec.body ? parseOrThrow(spec.body, await readJsonBody(request), "body") : await noBody(request);
    return { params, query, body } as Input<P, Q, B>;
  }
  const answer = async (request: NextRequest, segment: { params: Promise<unknown> }): Promise<Response> => {
    const rateHeaders: Record<string, string> = {};
    let keyed: ReturnType<typeof deferredBudget> | null = null;
    try {
      // The input is read while the caller is looked up (during the session's round trip), and
      // answered only once the caller may call the route: who is refused is told that first.
      const reading = settle(readInput(request, segment));
      const actor = await authenticate(request, spec.allow);
      const refusal = refusalOf(request, actor, spec.allow);
      let read = refusal ? null : await reading;
      const { refuseInput } = spec;
      if (read?.ok && refuseInput) {
        const input = read.value;
        const refused = attempt(() => refuseInput(input, actor));
        read = !refused.ok ? refused : refused.value ? await settle(refused.value.then(() => input)) : read;
      }
      const limit = spec.rateLimit;
      // The caller's budget counts every request but one refused for its input, which changes
      // nothing; one without valid credentials counts against its client IP (token guessing).
      if (limit && !limit.key && (refusal || read?.ok))
        await spend(callerKeys(request, actor, limit.scope), limit, rateHeaders);
      if (refusal) throw refusal;
      const input = outcome(read!);
      const key = limit?.key && `${limit.scope}:${limit.key(input)}`;
      keyed = deferredBudget(
        limit && key ? { key, budget: limit, spend: () => spend([key], limit, rateHeaders) } : null,
      );
      const response = await handler({ request, actor, reply, budget: keyed.budget, ...input });
      if (response.ok) keyed.assertSpent(spec.summary);
      return withHeaders(response, rateHeaders);
    } catch (error) {
      const remaining = rateHeaders["RateLimit-Remaining"];
      // The unit this request spent is back: what is left says so.
      if (keyed?.settleFailure(error) && remaining !== undefined)
        rateHeaders["RateLimit-Remaining"] = String(Number(remaining) + 1);
      const response = errorResponse(error, request);
      const badCredential = error instanceof AppError && error.details.fields?.authorization !== undefined;
      if ((response.status === 401 || badCredential) && BEARER_ROUTES.has(spec.allow))
        rateHeaders["WWW-Authenticate"] = bearerChallenge(request.headers.get("authorization"));
      return withHeaders(response, rateHeaders);
    }
  };
  const { maxDuration } = spec;
  const handle = (request: NextRequest, segment: { params: Promise<unknown> }): Promise<Response> =>
    maxDuration === undefined
      ? answer(request, segment)
      : withinMaxDuration(maxDuration, () => answer(request, segment));
  const { allow, summary, answers, errors, conditionalBudget, params, query = NOTHING, body } = spec;
  const budget: RouteSpec["budget"] = spec.rateLimit && {
    window: "perHour" in spec.rateLimit ? "hour" : "minute",
    perKey: spec.rateLimit.key !== undefined,
  };
  return Object.assign(handle, {
    spec: { allow, summary, answers, errors, conditionalBudget, params, query, body, budget } satisfies RouteSpec,
  });
}
