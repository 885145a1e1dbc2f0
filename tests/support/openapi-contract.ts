/**
 * Every answer the tests get from a documented API operation is checked against the app's own
 * OpenAPI document (GET /api/openapi.json): its status must be one the operation declares (or the
 * document's 4XX/5XX), and a JSON body must satisfy that response's schema. A test whose request
 * got an answer outside the document fails there, so the document cannot drift from the code.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { stack } from "./provided";

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

type MediaTypes = Record<string, { schema?: object }>;
type Operation = { responses: Record<string, { content?: MediaTypes }> };
export type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>> };

const DOCUMENT_ID = "openapi.json";

export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  /** Path templates as patterns, literal paths first (`/lookup` before `/{id}`). */
  private readonly templates: [RegExp, string][];

  constructor(readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, DOCUMENT_ID);
    this.templates = Object.keys(document.paths)
      .sort((a, b) => a.split("{").length - b.split("{").length)
      .map((template) => [new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`), template]);
  }

  operation(method: string, pathname: string) {
    const template = this.templates.find(([pattern]) => pattern.test(pathname))?.[1];
    const operation = template ? this.document.paths[template]![method.toLowerCase()] : undefined;
    return template && operation ? { template, operation } : null;
  }

  /** The validator of one schema, by its place in the document (Ajv compiles each place once). */
  validator(...place: string[]): ValidateFunction {
    const pointer = place.map((token) => encodeURIComponent(token.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");
    return this.ajv.getSchema(`${DOCUMENT_ID}#/${pointer}`)!;
  }
}

let contract: Promise<Contract> | undefined;

/** The document the stack's app serves, read once per test file. */
export function openApiContract(): Promise<Contract> {
  contract ??= fetch(`${stack.appOrigin}/api/openapi.json`)
    .then(async (response) => {
      if (response.status !== 200) throw new Error(`GET /api/openapi.json answered ${response.status}`);
      return new Contract((await response.json()) as OpenApiDocument);
    })
    .catch((error: unknown) => {
      contract = undefined;
      throw error;
    });
  return contract;
}

/** An answer as the contract reads it: its status, its headers and its body as text. */
export type Answered = { status: number; header: (name: string) => string | null; body: string };

/** Why an answer to `method url` is outside what the document declares for that operation; null when it is not. */
export function violation(contract: Contract, method: string, url: URL, answer: Answered): string | null {
  if (!url.pathname.startsWith("/api/") || method === "HEAD" || method === "OPTIONS") return null;
  const found = contract.operation(method, url.pathname);
  if (!found) return null;
  const location = answer.header("location");
  // Next.js's own redirect of a request carrying `RSC: 1` to the same path with `?_rsc=…`: no
  // handler of ours answers with a redirect, so any other is checked (and refused) below.
  if (answer.status === 307 && location && new URL(location, url).pathname === url.pathname) return null;
  const { template, operation } = found;
  const status = String(answer.status);
  const key = status in operation.responses ? status : `${status[0]}XX`;
  const where = `${method} ${url.pathname} (${template}) answered ${status}`;
  const declared = operation.responses[key];
  if (!declared) return `${where}, a status the OpenAPI document does not declare`;
  const mediaType = (answer.header("content-type") ?? "").split(";")[0]!.trim();
  if (!declared.content) return answer.body === "" ? null : `${where} with a body the document does not declare`;
  if (!declared.content[mediaType]) return `${where} as ${mediaType || "no content type"}, not as declared`;
  if (mediaType !== "application/json") return null;
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `${where} with a body that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  const place = ["paths", template, method.toLowerCase(), "responses", key, "content", mediaType, "schema"];
  const validate = contract.validator(...place);
  if (validate(body)) return null;
  return `${where} outside its schema in the OpenAPI document: ${JSON.stringify(validate.errors?.slice(0, 5))}; body: ${answer.body.slice(0, 500)}`;
}

/** Throws when `response` (to `method url`) is outside what the document declares for that operation. */
export async function expectDocumented(method: string, url: URL, response: Response): Promise<void> {
  if (!url.pathname.startsWith("/api/")) return;
  const contract = await openApiContract();
  if (!contract.operation(method, url.pathname)) return;
  const body = method === "HEAD" || !response.body ? "" : await response.clone().text();
  const problem = violation(contract, method, url, {
    status: response.status,
    header: (name) => response.headers.get(name),
    body,
  });
  if (problem) throw new Error(problem);
}

/** `fetch`, with the answer checked against the OpenAPI document when it comes from a documented operation. */
export async function documentedFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input);
  const response = await fetch(url, init);
  await expectDocumented(init.method ?? "GET", url, response);
  return response;
}
