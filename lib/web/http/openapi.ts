/**
 * The OpenAPI 3.1 document of the HTTP API, built from the zod schemas each route handler
 * validates its input and types its answers with (its `spec`), so the document cannot drift from
 * what the handlers accept and answer.
 */
import "server-only";
import { z } from "zod";
import { errorCodes, type ErrorCode } from "@/lib/platform/errors/codes";
import { errorEnvelopeSchema } from "@/lib/platform/errors/envelope";
import { ROUTE_METHODS, type RouteMethod } from "@/lib/platform/http-methods";
import { PRODUCT_NAME } from "@/lib/platform/product-name";
import { SESSION_COOKIES } from "@/lib/web/auth/session-cookies";
import { BEARER_ROUTES, type Allow } from "./authenticate";
import type { Answer, RouteSpec } from "./route";

/** A route file's exports, as far as the document cares: its handlers and their specs. */
export type RouteModule = Partial<Record<RouteMethod, { spec: RouteSpec } | ((request: Request) => Response)>>;

const SECURITY: Record<Allow, Record<string, string[]>[]> = {
  anyone: [],
  operator: [{ session: [] }],
  "customer-or-operator": [{ session: [] }],
  "service-or-operator": [{ serviceToken: [] }, { session: [] }],
  cron: [{ cronSecret: [] }],
};

/** JSON Schema of what a client sends (`input`) or receives (`output`), dates as RFC 3339 strings. */
function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema: node }) => {
      const def = zodSchema._zod.def;
      if (def.type === "date") Object.assign(node, { type: "string", format: "date-time" });
      // A client's input is described by a pipe's first schema alone; what the second checks of the
      // same text (an email's format, a date's) holds for it too, and is said with allOf.
      if (io === "input" && def.type === "pipe") {
        const checked = jsonSchema(def.out as z.ZodType, "input");
        if (Object.keys(checked).some((keyword) => keyword !== "type"))
          node.allOf = [...(node.allOf ?? []), checked as typeof node];
      }
      // zod leaves examples out of input schemas that transform; ours are valid requests as sent.
      const examples = z.globalRegistry.get(zodSchema)?.examples as unknown[] | undefined;
      if (io === "input" && examples && !node.examples) node.examples = examples;
    },
  });
  return rest;
}

function parameters(where: "path" | "query", schema: z.ZodType | undefined) {
  if (!schema) return [];
  const object = jsonSchema(schema, "input") as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    ...(description ? { description } : {}),
    required: where === "path" || (object.required ?? []).includes(name),
    schema: property,
  }));
}

type Headers = Record<string, { description: string; schema: { type: "string" | "integer" } }>;

const errorResponse = (description: string, headers?: Headers) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** What the answers of a route a budget limits carry once the budget is counted. */
const budgetHeaders = (window: "minute" | "hour"): Headers => ({
  "RateLimit-Limit": {
    description: `The budget this answer was counted against, per clock ${window} (a window starts at each whole ${window}, UTC).`,
    schema: { type: "integer" },
  },
  "RateLimit-Remaining": { description: `What is left of it in this clock ${window}.`, schema: { type: "integer" } },
});

const RETRY_AFTER: Headers = {
  "Retry-After": { description: "Seconds until the budget has room again.", schema: { type: "integer" } },
};

/** The refusals a route's spec implies: who may call it, and its budget. */
function refusals(spec: RouteSpec) {
  const challenge: Headers = {
    "WWW-Authenticate": {
      description: 'Bearer, with error="invalid_token" when the token sent did not verify (RFC 6750).',
      schema: { type: "string" },
    },
  };
  return {
    ...(spec.allow === "anyone"
      ? {}
      : {
          "401": errorResponse(
            "No valid credential (unauthenticated).",
            BEARER_ROUTES.has(spec.allow) ? challenge : undefined,
          ),
        }),
    ...(spec.allow === "anyone" || spec.allow === "cron"
      ? {}
      : { "403": errorResponse("The caller may not do this (forbidden).") }),
    ...(spec.budget
      ? { "429": errorResponse("The caller's budget is spent (rate_limited).", RETRY_AFTER) }
      : spec.conditionalBudget
        ? { "429": errorResponse(`${spec.conditionalBudget} (rate_limited).`, RETRY_AFTER) }
        : {}),
  };
}

/** What a refusal's `error.fields` holds, for the codes whose fields are always the same. */
const FIELDS_OF: Partial<Record<ErrorCode, { description: string; fields: Record<string, object> }>> = {
  end_user_deleted: {
    description:
      "`error.fields.deletedAt` says when, where it is known. A lookup's also names the offboarded end-user (`id`) and its customer (`sourceId`), and the customer's live end-user (`currentId`) when they have onboarded again.",
    fields: {
      deletedAt: { type: "array", items: { type: "string", format: "date-time" }, maxItems: 1 },
      id: { type: "array", items: { type: "string" }, maxItems: 1 },
      sourceId: { type: "array", items: { type: "string" }, maxItems: 1 },
      currentId: { type: "array", items: { type: "string" }, maxItems: 1 },
    },
  },
};

/**
 * The statuses of a route's own refusals (its spec's `errors`), each answered with exactly the
 * codes the route names for it: a client tells an unknown end-user (404) from an offboarded one
 * (410) and from one being set up (409) by status, and each code by `error.code`.
 */
function ownRefusals(codes: ErrorCode[] = []) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(errorCodes[code].status, [...(byStatus.get(errorCodes[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, sameStatus]) => {
      const fields = Object.assign({}, ...sameStatus.map((code) => FIELDS_OF[code]?.fields));
      const error = {
        type: "object",
        properties: {
          code: { enum: sameStatus },
          ...(Object.keys(fields).length ? { fields: { type: "object", properties: fields } } : {}),
        },
      };
      const description = sameStatus
        .map((code) =>
          [`\`${code}\`: ${errorCodes[code].message}`, FIELDS_OF[code]?.description].filter(Boolean).join(" "),
        )
        .join(" ");
      const schema = { allOf: [{ $ref: "#/components/schemas/Error" }, { type: "object", properties: { error } }] };
      return [String(status), { description, content: { "application/json": { schema } } }];
    }),
  );
}

/** `GET /api/end-users/{id}/connection` → `getEndUsersByIdConnection`. */
function operationId(method: string, path: string): string {
  const words = path
    .split("/")
    .slice(2)
    .flatMap((segment) => (segment.startsWith("{") ? ["by", segment.slice(1, -1)] : segment.split(/[-.]/)));
  return method.toLowerCase() + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
}

/** A success answer: JSON with its schema, text of its media type (CSV), or no body at all. */
function responseObject({ description, schema, mediaType = schema && "application/json" }: Answer) {
  if (!mediaType) return { description };
  return {
    description,
    content: { [mediaType]: { schema: schema ? jsonSchema(schema, "output") : { type: "string" } } },
  };
}

/** A route that takes no input in its body still reads one if sent: nothing, or `{}`. */
const NO_FIELDS = {
  required: false,
  description: "Nothing, or an empty JSON object; any field is refused (400).",
  content: { "application/json": { schema: { type: "object", additionalProperties: false, maxProperties: 0 } } },
};

/**
 * Which answers carry the budget's headers. A budget per caller is counted once the caller is
 * known, so every answer after it does (a 401 too, counted per IP), but not a malformed request
 * (4XX), refused before. A budget per end-user is counted only once the caller may act on that end-user:
 * its successes, its 429 and what fails after it (5XX) carry them, its refusals before it do not.
 */
function withBudgetHeaders<R extends { headers?: Headers }>(responses: Record<string, R>, budget: RouteSpec["budget"]) {
  if (!budget) return responses;
  const counted = (status: string) => (budget.perKey ? /^(2\d\d|429|5XX)$/.test(status) : status !== "4XX");
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      counted(status) ? { ...response, headers: { ...response.headers, ...budgetHeaders(budget.window) } } : response,
    ]),
  );
}

function operationObject(method: string, path: string, spec: RouteSpec) {
  const responses: Record<string, { headers?: Headers }> = {
    ...Object.fromEntries(Object.entries(spec.answers).map(([status, answer]) => [status, responseObject(answer)])),
    ...refusals(spec),
    ...ownRefusals(spec.errors),
    "4XX": errorResponse("The request was refused; `error.fields` names each bad field."),
    "5XX": errorResponse("We or an upstream API failed; `error.conductorRequestId` when Conductor answered."),
  };
  return {
    operationId: operationId(method, path),
    summary: spec.summary,
    security: SECURITY[spec.allow],
    parameters: [...parameters("path", spec.params), ...parameters("query", spec.query)],
    ...(spec.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(spec.body, "input") } } } }
      : /^(get|head)$/i.test(method)
        ? {}
        : { requestBody: NO_FIELDS }),
    responses: withBudgetHeaders(responses, spec.budget),
  };
}

export function openApiDocument(routes: Record<string, RouteModule>) {
  const paths = Object.fromEntries(
    Object.entries(routes).map(([path, handlers]) => [
      path,
      Object.fromEntries(
        ROUTE_METHODS.flatMap((method) => {
          // A method the route refuses (otherMethods) has a handler but no spec.
          const handler = handlers[method];
          return handler && "spec" in handler
            ? [[method.toLowerCase(), operationObject(method, path, handler.spec)]]
            : [];
        }),
      ),
    ]),
  );
  return {
    openapi: "3.1.0" as const,
    info: {
      title: `${PRODUCT_NAME} API`,
      version: "1",
      description:
        "Onboards customers to Conductor (the QuickBooks Desktop API) and keeps the mapping between our users and their Conductor end-users.",
    },
    servers: [{ url: "/", description: "The deployment that serves this document" }],
    paths,
    components: {
      schemas: { Error: jsonSchema(errorEnvelopeSchema, "output") },
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIES[0],
          description: `The browser session after email sign-in (\`${SESSION_COOKIES[1]}\` over plain http).`,
        },
        serviceToken: {
          type: "http",
          scheme: "bearer",
          description: "A service token from LOOKUP_API_TOKENS, for other backends.",
        },
        cronSecret: { type: "http", scheme: "bearer", description: "CRON_SECRET, as Vercel Cron sends it." },
      },
    },
  };
}
