/**
 * GET /api/openapi.json: the API's OpenAPI 3.1 document, built from the schemas the handlers
 * validate with and answer with, so it lists every route, states the limits the handlers enforce,
 * and (through tests/support/openapi-contract.ts) describes every answer the other tests get.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { expectDocumented, openApiContract } from "../support/openapi-contract";

type Schema = { properties: Record<string, Schema>; required?: string[]; [keyword: string]: unknown };
type Parameter = { name: string; in: string; required: boolean; description?: string; schema: Record<string, unknown> };
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

// The catch-all that answers 404 for unknown paths, next-auth's own endpoints, the liveness probe
// that touches nothing, and this document itself.
const UNDOCUMENTED = ["[...path]", "auth/[...nextauth]", "health/live", "openapi.json"];

/** Every `METHOD /path` the app's API route files export, with `[id]` written as `{id}`. */
function routesInTheApp(): string[] {
  return Object.entries(h.fuzz.routeFiles(process.cwd()))
    .flatMap(([file, methods]) => {
      const folder = path.relative("app/api", path.dirname(file));
      if (folder.startsWith("..") || UNDOCUMENTED.includes(folder)) return [];
      const template = `/api/${folder}`.replace(/\[(\w+)\]/g, "{$1}");
      return methods.map((method) => `${method} ${template}`);
    })
    .sort();
}

/** `METHOD /path` of every row of README's API table, path parameters written `{}`. */
function routesInTheReadme(): string[] {
  const readme = readFileSync("README.md", "utf8");
  const table = readme.slice(readme.indexOf("## HTTP API"), readme.indexOf("### The OpenAPI document"));
  return [...table.matchAll(/^\| `([A-Z/]+) (\/api\/[^`?\s]*)/gm)]
    .flatMap(([, methods, route]) =>
      methods!.split("/").map((method) => `${method} ${route!.replace(/\{[^}]*\}/g, "{}")}`),
    )
    .sort();
}

/** Every schema in the document that carries `examples`, with where it is. */
function schemasWithExamples(node: unknown, place: string[] = []): { place: string[]; examples: unknown[] }[] {
  if (!node || typeof node !== "object") return [];
  const here = "examples" in node && Array.isArray(node.examples) ? [{ place, examples: node.examples }] : [];
  return [
    ...here,
    ...Object.entries(node).flatMap(([key, child]) =>
      key === "examples" ? [] : schemasWithExamples(child, [...place, key]),
    ),
  ];
}

const jsonAnswer = (status: number, body: unknown) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": typeof body === "string" ? "text/plain" : "application/json" },
  });

let document: Document;

beforeAll(async () => {
  const response = await h.client().fetch("/api/openapi.json");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/json");
  document = await response.json();
});

const operation = (method: string, template: string) => document.paths[template]![method]!;

const documentedRoutes = () =>
  Object.entries(document.paths)
    .flatMap(([template, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${template}`))
    .sort();

describe("GET /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document by the specification's own schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("passes Redocly's recommended rules without an error", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "openapi.json", config });
    const errors = problems.filter((problem) => problem.severity === "error");
    expect(errors.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
  });

  it("lists every route handler and method of the API, itself included", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(documentedRoutes()).toEqual([...routesInTheApp(), "GET /api/openapi.json"].sort());
  });

  it("lists every route of README's API table", () => {
    const documented = documentedRoutes().map((route) => route.replace(/\{\w+\}/g, "{}"));
    expect(routesInTheReadme().length).toBeGreaterThanOrEqual(15);
    expect(documented).toEqual(expect.arrayContaining(routesInTheReadme()));
  });

  it("has examples, and each satisfies the schema it illustrates", async () => {
    const contract = await openApiContract();
    const found = schemasWithExamples(document);
    expect(found.map(({ place }) => place.join("/"))).toEqual(
      expect.arrayContaining([
        "paths//api/end-users/post/requestBody/content/application/json/schema",
        "paths//api/end-users/lookup/get/responses/200/content/application/json/schema",
        "components/schemas/Error",
      ]),
    );
    for (const { place, examples } of found) {
      const validate = contract.validator(...place);
      for (const example of examples)
        expect(validate(example), `${place.join("/")}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
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

    const lookupId = operation("get", "/api/end-users/lookup").parameters.find((p) => p.name === "id")!;
    expect(lookupId.schema.maxLength).toBe(100);
    const longest = `end_usr_${"a".repeat(Number(lookupId.schema.maxLength) - 8)}`;
    expect((await h.service(`/api/end-users/lookup?id=${longest}`)).status).toBe(404);
    const tooLong = await h.service(`/api/end-users/lookup?id=${longest}a`);
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.fields).toHaveProperty("id");
  });

  it("bounds every query parameter the handlers bound: each number has its minimum and maximum, each free text its length", () => {
    const unbounded = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).flatMap(([method, op]) =>
        (op.parameters ?? [])
          .filter((p) => p.in === "query")
          .filter(({ schema }) =>
            schema.type === "integer"
              ? schema.minimum === undefined || schema.maximum === undefined
              : schema.type === "string" &&
                  !schema.enum &&
                  !schema.const &&
                  !schema.format &&
                  !schema.pattern &&
                  !schema.anyOf
                ? schema.maxLength === undefined
                : false,
          )
          .map((p) => `${method.toUpperCase()} ${template} ${p.name}`),
      ),
    );
    expect(unbounded).toEqual([]);
  });

  it("gives the search's and maxAge's bounds, and a request outside them gets 400 naming the field", async () => {
    const q = operation("get", "/api/end-users").parameters.find((p) => p.name === "q")!;
    expect(q.schema.maxLength).toBe(200);
    const maxAge = operation("get", "/api/end-users/{id}").parameters.find((p) => p.name === "maxAge")!;
    expect(maxAge.schema).toMatchObject({ minimum: 0, maximum: 3600 });
    const client = await h.operator();
    const longest = await client.fetch(`/api/end-users?q=${"a".repeat(200)}`);
    expect(longest.status).toBe(200);
    const tooLong = await client.fetch(`/api/end-users?q=${"a".repeat(201)}`);
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.fields).toHaveProperty("q");
    const negative = await client.fetch("/api/end-users/end_usr_nobody?maxAge=-1");
    expect(negative.status).toBe(400);
    expect((await negative.json()).error.fields).toHaveProperty("maxAge");
  });

  it("describes request bodies as the handlers parse them: required fields, lengths, no unknown fields", () => {
    const create = operation("post", "/api/end-users").requestBody!.content["application/json"].schema;
    expect(create.required).toEqual(["companyName"]);
    expect(create.additionalProperties).toBe(false);
    expect(Object.keys(create.properties)).toEqual(["companyName", "email", "sourceId"]);
    expect(create.properties.sourceId!.maxLength).toBe(255);
    expect(create.properties.companyName).toMatchObject({
      maxLength: 255,
      description: expect.stringContaining("trimmed"),
    });
    // A route with no input in its body still reads one, as the DELETE does: nothing, or `{}`.
    expect(operation("delete", "/api/end-users/{id}").requestBody).toMatchObject({
      required: false,
      content: { "application/json": { schema: { type: "object", additionalProperties: false, maxProperties: 0 } } },
    });
    expect(operation("get", "/api/end-users/{id}").requestBody).toBeUndefined();
    const id = operation("post", "/api/end-users/{id}/auth-sessions").parameters[0]!;
    expect(id).toMatchObject({ name: "id", in: "path", required: true });
    expect(new RegExp(id.schema.pattern as string).test("end_usr_abc123")).toBe(true);
  });

  it("refuses, as the handlers do, an email that is not one, an empty company name and a date that does not exist, and takes valid ones", async () => {
    const contract = await openApiContract();
    const body = contract.validator(
      "paths",
      "/api/end-users",
      "post",
      "requestBody",
      "content",
      "application/json",
      "schema",
    );
    const since = operation("get", "/api/audit").parameters.findIndex((p) => p.name === "since");
    const date = contract.validator("paths", "/api/audit", "get", "parameters", String(since), "schema");
    const valid = { companyName: "Acme", email: "ops@example.test", sourceId: "user_1" };
    expect([body(valid), date("2026-02-28"), date("2026-11-01T09:30:00+01:00")]).toEqual([true, true, true]);
    expect([
      body({ ...valid, email: "=x@example.com" }),
      body({ ...valid, email: "not an email" }),
      // What a mail server refuses: a domain part edged with a hyphen or over 63 characters, a local part over 64.
      body({ ...valid, email: "ops@example-.test" }),
      body({ ...valid, email: `ops@${"b".repeat(64)}.test` }),
      body({ ...valid, email: `${"a".repeat(65)}@example.test` }),
      body({ ...valid, companyName: "" }),
      date("2026-02-30"),
      date("2026-11-01T09:30:00"),
    ]).toEqual([false, false, false, false, false, false, false, false]);

    const operator = await h.operator();
    for (const email of ["=x@example.com", "ops@example-.test"]) {
      const refused = await operator.json("/api/end-users", { ...valid, email });
      expect(refused.status).toBe(400);
      expect(Object.keys((await refused.json()).error.fields)).toEqual(["email"]);
    }
    const badDay = await operator.fetch("/api/audit?since=2026-02-30");
    expect(Object.keys((await badDay.json()).error.fields)).toEqual(["since"]);
  });

  it("says in the lookup's parameters and the link's body what the server enforces beyond their types: one key, a Conductor id's format and length, each provider's id format", async () => {
    const parameters = operation("get", "/api/end-users/lookup").parameters;
    const described = (name: string) => parameters.find((p) => p.name === name)!.description;
    expect(described("sourceId")).toContain("exactly one of sourceId or id");
    expect(described("id")).toContain("exactly one of sourceId or id");
    expect(described("id")).toContain("end_usr_ followed by letters and digits, at most 100 characters");
    expect(described("id")).toContain("altur: a version 4 UUID; dify: a UUID");
    expect(described("provider")).toContain("required with it");
    const link = operation("put", "/api/end-users/{id}/providers/{provider}").requestBody!.content["application/json"]
      .schema;
    expect(link.properties.externalId!.description).toContain("altur: a version 4 UUID; dify: a UUID");
    const service = { authorization: `Bearer ${h.stack.serviceTokens[0]}` };
    const refused = await h.client().fetch("/api/end-users/lookup", { headers: service });
    expect((await refused.json()).error.fields).toEqual({ sourceId: ["give exactly one of sourceId or id"] });
  });

  it("documents the audit filters' dates, and the CSV export's optional page size, which has no default", async () => {
    const names = (path: string) => operation("get", path).parameters.map((p) => p.name);
    expect(names("/api/audit")).toContain("limit");
    const limit = operation("get", "/api/audit.csv").parameters.find((p) => p.name === "limit")!;
    expect(limit.required ?? false).toBe(false);
    expect(limit.description).toContain("without it, every matching event");
    expect(JSON.stringify(limit)).not.toContain('"default"');
    const since = operation("get", "/api/audit.csv").parameters.find((p) => p.name === "since")!;
    expect(since.description).toContain("date-time with offset");
    for (const path of ["/api/audit", "/api/audit.csv"])
      for (const name of ["since", "until"])
        expect(operation("get", path).parameters.find((p) => p.name === name)!.schema.anyOf).toEqual([
          { format: "date" },
          { format: "date-time" },
        ]);
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

describe("the refusals the document declares", () => {
  type Response = { headers?: Record<string, unknown> };
  const responses = (method: string, template: string) =>
    operation(method, template).responses as Record<string, Response>;
  const headerNames = (response: Response | undefined) => Object.keys(response?.headers ?? {}).sort();

  it("follow each route's callers and budget: 401 (with the Bearer challenge where a token opens it), 403, and 429 with its headers", () => {
    const lookup = responses("get", "/api/end-users/lookup");
    const budget = ["RateLimit-Limit", "RateLimit-Remaining"];
    // A budget per caller is counted once the caller is known: every answer after it carries its
    // headers (a 401 too, counted per IP), not a malformed request's refused before it.
    expect(headerNames(lookup["401"])).toEqual([...budget, "WWW-Authenticate"]);
    expect(lookup["403"]).toBeDefined();
    expect(headerNames(lookup["429"])).toEqual([...budget, "Retry-After"]);
    for (const status of ["200", "403", "404", "410", "5XX"]) expect(headerNames(lookup[status])).toEqual(budget);
    expect(headerNames(lookup["4XX"])).toEqual([]);
    // One per end-user only once the caller may act on it: not on the refusals before.
    const check = responses("post", "/api/end-users/{id}/connection/check");
    for (const status of ["200", "5XX"]) expect(headerNames(check[status])).toEqual(budget);
    expect(headerNames(check["429"])).toEqual([...budget, "Retry-After"]);
    for (const status of ["401", "403", "404", "4XX"]) expect(headerNames(check[status])).toEqual([]);
    // The window each budget counts in, which Retry-After alone would leave to be found out.
    const limitOf = (response: Response | undefined) =>
      (response?.headers?.["RateLimit-Limit"] as { description: string }).description;
    expect(limitOf(lookup["200"])).toContain("per clock minute");
    expect(limitOf(responses("post", "/api/end-users/{id}/connect-link")["202"])).toContain("per clock hour");

    const cron = responses("get", "/api/cron/reconcile");
    expect(headerNames(cron["401"])).toEqual(["WWW-Authenticate"]);
    expect(cron["403"]).toBeUndefined();

    const offboard = responses("delete", "/api/end-users/{id}");
    expect(offboard["401"]).toBeDefined();
    expect(headerNames(offboard["401"])).toEqual([]);
    expect(offboard["403"]).toBeDefined();

    // Its budget of Conductor reads is spent only when nothing cached will do.
    const retrieve = responses("get", "/api/end-users/{id}");
    expect(headerNames(retrieve["429"])).toEqual(["Retry-After"]);
    expect(headerNames(retrieve["200"])).toEqual([]);

    const health = responses("get", "/api/health");
    expect([health["401"], health["403"], health["429"]]).toEqual([undefined, undefined, undefined]);
  });
});

describe("the refusals each route declares of its own", () => {
  type Refusal = { description: string; content: Record<string, { schema: { allOf: [unknown, Schema] } }> };
  const refusal = (method: string, template: string, status: string) =>
    operation(method, template).responses[status] as Refusal | undefined;
  const codesOf = (method: string, template: string, status: string) => {
    const schema = refusal(method, template, status)?.content["application/json"]!.schema.allOf[1];
    return (schema?.properties.error?.properties as Record<string, { enum?: string[] }> | undefined)?.code?.enum;
  };

  it("tells an unknown end-user (404) from an offboarded one (410, with when) and from one being set up (409), each with its codes", () => {
    expect(codesOf("get", "/api/end-users/lookup", "404")).toEqual(["end_user_not_found"]);
    expect(codesOf("get", "/api/end-users/lookup", "410")).toEqual(["end_user_deleted"]);
    expect(refusal("get", "/api/end-users/lookup", "410")!.description).toMatch(/error\.fields\.deletedAt/);
    expect(codesOf("post", "/api/end-users", "409")).toEqual([
      "onboarding_in_progress",
      "offboarding_in_progress",
      "source_id_conflict",
    ]);
    expect(codesOf("post", "/api/end-users", "404")).toBeUndefined();
    expect(codesOf("delete", "/api/end-users/{id}", "409")).toEqual(["offboarding_in_progress"]);
    expect(codesOf("post", "/api/end-users/{id}/connect-link", "409")).toEqual([
      "offboarding_in_progress",
      "email_not_deliverable",
      "mail_refused",
    ]);
    expect(codesOf("put", "/api/end-users/{id}/providers/{provider}", "404")).toEqual([
      "end_user_not_found",
      "provider_end_user_not_found",
      "not_found",
    ]);
    expect(refusal("get", "/api/health", "404")).toBeUndefined();
  });

  it("fails an answer of a declared refusal's status whose code the route does not name for it", async () => {
    const lookup = new URL("/api/end-users/lookup?sourceId=x", h.stack.appOrigin);
    const gone = {
      error: { code: "end_user_deleted", message: "Offboarded.", fields: { deletedAt: ["2026-11-29T10:00:00.000Z"] } },
    };
    await expect(expectDocumented("GET", lookup, jsonAnswer(410, gone))).resolves.toBeUndefined();
    const inProgress = { error: { code: "onboarding_in_progress", message: "Being set up." } };
    await expect(expectDocumented("GET", lookup, jsonAnswer(410, inProgress))).rejects.toThrow(/outside its schema/);
    const badTime = { error: { ...gone.error, fields: { deletedAt: ["yesterday"] } } };
    await expect(expectDocumented("GET", lookup, jsonAnswer(410, badTime))).rejects.toThrow(/outside its schema/);
  });
});

describe("the OpenAPI contract every API test's answers are held to", () => {
  const lookup = new URL("/api/end-users/lookup?sourceId=x", h.stack.appOrigin);
  const mapping = {
    id: "end_usr_abc",
    sourceId: "x",
    companyName: "Acme",
    email: "a@example.test",
    createdAt: "2026-11-29T10:00:00.000Z",
    syncedAt: "2026-11-29T10:00:00.000Z",
    connectionStatus: "not_started",
    missingUpstreamSince: null,
    offboardingSince: null,
    linkedProviders: { altur: null, dify: null },
  };

  it("accepts an answer the document declares, and errors in the envelope", async () => {
    await expect(expectDocumented("GET", lookup, jsonAnswer(200, mapping))).resolves.toBeUndefined();
    const notFound = { error: { code: "end_user_not_found", message: "No cached end-user matches." } };
    await expect(expectDocumented("GET", lookup, jsonAnswer(404, notFound))).resolves.toBeUndefined();
  });

  it("fails an answer with a field missing, a field added, or a value of the wrong type", async () => {
    const { connectionStatus: _dropped, ...missing } = mapping;
    for (const body of [missing, { ...mapping, secret: "x" }, { ...mapping, createdAt: "yesterday" }])
      await expect(expectDocumented("GET", lookup, jsonAnswer(200, body))).rejects.toThrow(/outside its schema/);
  });

  it("fails a status the operation does not declare, and an error outside the envelope", async () => {
    await expect(expectDocumented("GET", lookup, jsonAnswer(201, mapping))).rejects.toThrow(/does not declare/);
    await expect(expectDocumented("GET", lookup, jsonAnswer(400, "Bad Request"))).rejects.toThrow(/not as declared/);
    await expect(expectDocumented("GET", lookup, jsonAnswer(500, { message: "boom" }))).rejects.toThrow(
      /outside its schema/,
    );
  });
});
