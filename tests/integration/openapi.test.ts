/**
 * GET /api/openapi.json: the API's OpenAPI 3.1 document, built from the schemas the handlers
 * validate with, so it lists every route and states the limits the handlers enforce.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";

type Schema = { properties: Record<string, Schema>; required?: string[]; [keyword: string]: unknown };
type Parameter = { name: string; in: string; required: boolean; schema: Record<string, unknown> };
type Operation = {
  security: Record<string, string[]>[];
  parameters: Parameter[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, unknown>;
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

const API = path.resolve("app/api");
// next-auth's own endpoints, the liveness probe that touches nothing, and this document itself.
const UNDOCUMENTED = ["auth/[...nextauth]", "health/live", "openapi.json"];

/** Every `METHOD /path` the app's route files export, with `[id]` written as `{id}`. */
function routesInTheApp(): string[] {
  const routes: string[] = [];
  for (const file of readdirSync(API, { recursive: true, encoding: "utf8" })) {
    if (path.basename(file) !== "route.ts") continue;
    const folder = path.dirname(file);
    if (UNDOCUMENTED.includes(folder)) continue;
    const template = `/api/${folder}`.replace(/\[(\w+)\]/g, "{$1}");
    for (const [, method] of readFileSync(path.join(API, file), "utf8").matchAll(
      /export const (GET|POST|PUT|DELETE)\b/g,
    ))
      routes.push(`${method} ${template}`);
  }
  return routes.sort();
}

let document: Document;

beforeAll(async () => {
  const response = await h.client().fetch("/api/openapi.json");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/json");
  document = await response.json();
});

const operation = (method: string, template: string) => document.paths[template]![method]!;

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document anyone may read, listing every route handler and method of the API", () => {
    expect(document.openapi).toBe("3.1.0");
    const documented = Object.entries(document.paths)
      .flatMap(([template, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${template}`))
      .sort();
    expect(documented).toEqual(routesInTheApp());
  });

  it("states the limits the handlers enforce, and a request outside them gets 400 naming the field", async () => {
    const limit = operation("get", "/api/end-users").parameters.find((p) => p.name === "limit")!;
    expect(limit).toMatchObject({ in: "query", required: false, schema: { minimum: 1, maximum: 100 } });
    const status = operation("get", "/api/end-users").parameters.find((p) => p.name === "status")!;
    expect(status.schema.enum).toEqual(["not_started", "in_progress", "connected", "needs_attention"]);

    const client = await h.operator();
    const outside = await client.fetch(`/api/end-users?limit=${Number(limit.schema.maximum) + 1}`);
    expect(outside.status).toBe(400);
    expect((await outside.json()).error.fields).toHaveProperty("limit");
  });

  it("describes request bodies as the handlers parse them: required fields, lengths, no unknown fields", () => {
    const create = operation("post", "/api/end-users").requestBody!.content["application/json"].schema;
    expect(create.required).toEqual(["companyName"]);
    expect(create.additionalProperties).toBe(false);
    expect(Object.keys(create.properties)).toEqual(["companyName", "email", "sourceId"]);
    expect(create.properties.sourceId!.maxLength).toBe(255);
    const id = operation("post", "/api/end-users/{id}/auth-sessions").parameters[0]!;
    expect(id).toMatchObject({ name: "id", in: "path", required: true });
    expect(new RegExp(id.schema.pattern as string).test("end_usr_abc123")).toBe(true);
  });

  it("says who may call each operation, and answers errors with the one envelope", () => {
    expect(operation("get", "/api/health").security).toEqual([]);
    expect(operation("get", "/api/end-users/lookup").security).toEqual([{ serviceToken: [] }, { session: [] }]);
    expect(operation("delete", "/api/end-users/{id}").security).toEqual([{ session: [] }]);
    expect(operation("get", "/api/cron/reconcile").security).toEqual([{ cronSecret: [] }]);
    expect(document.components.schemas.Error!.properties.error!.required).toEqual(["code", "message"]);
    expect(operation("post", "/api/end-users").responses["4XX"]).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    });
    const answer = (
      operation("post", "/api/end-users").responses["201"] as { content: Record<string, { schema: Schema }> }
    ).content["application/json"]!.schema;
    expect(answer.properties.endUser!.properties.createdAt).toEqual({ type: "string", format: "date-time" });
  });
});
