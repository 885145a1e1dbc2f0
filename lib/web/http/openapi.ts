/**
 * The OpenAPI 3.1 document of the HTTP API, built from the zod schemas each route handler
 * validates with (its `spec`), so the document cannot drift from what the handlers accept.
 */
import "server-only";
import { z } from "zod";
import { errorEnvelopeSchema } from "@/lib/platform/errors/envelope";
import type { Allow } from "./authenticate";
import type { RouteSpec } from "./route";

type Method = "get" | "post" | "put" | "delete";

export type Operation = {
  method: Method;
  /** OpenAPI path template, e.g. `/api/end-users/{id}`. */
  path: string;
  summary: string;
  spec: RouteSpec;
  success: { status: number; description: string; schema?: z.ZodType; mediaType?: string };
};

const SECURITY: Record<Allow, Record<string, string[]>[]> = {
  anyone: [],
  operator: [{ session: [] }],
  "customer-or-operator": [{ session: [] }],
  "service-or-operator": [{ serviceToken: [] }, { session: [] }],
  cron: [{ cronSecret: [] }],
};

/** JSON Schema of what a client sends (`io: "input"`), dates as RFC 3339 strings. */
function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input") {
  return z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === "date") Object.assign(jsonSchema, { type: "string", format: "date-time" });
    },
  });
}

function parameters(where: "path" | "query", schema: z.ZodType | undefined) {
  if (!schema) return [];
  const object = jsonSchema(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (object.required ?? []).includes(name),
    schema: property,
  }));
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function operationObject({ summary, spec, success }: Operation) {
  return {
    summary,
    security: SECURITY[spec.allow],
    parameters: [...parameters("path", spec.params), ...parameters("query", spec.query)],
    ...(spec.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(spec.body) } } } }
      : {}),
    responses: {
      [success.status]: {
        description: success.description,
        ...(success.schema
          ? { content: { [success.mediaType ?? "application/json"]: { schema: jsonSchema(success.schema, "output") } } }
          : {}),
      },
      "4XX": errorResponse("The request was refused; `error.fields` names each bad field."),
      "5XX": errorResponse("We or an upstream API failed; `error.conductorRequestId` when Conductor answered."),
    },
  };
}

export function openApiDocument(operations: Operation[]) {
  const paths: Record<string, Record<string, object>> = {};
  for (const operation of operations) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: operationObject(operation) };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Conductor Onboarding API", version: "1" },
    paths,
    components: {
      schemas: { Error: jsonSchema(errorEnvelopeSchema, "output") },
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "__Secure-next-auth.session-token" },
        serviceToken: { type: "http", scheme: "bearer" },
        cronSecret: { type: "http", scheme: "bearer" },
      },
    },
  };
}
