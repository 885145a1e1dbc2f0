/**
 * JSON bodies a client controls byte for byte: keys named after Object.prototype's members, at
 * the top or inside a value, and text that is not well-formed (NUL, lone surrogates, bytes that
 * are not UTF-8, U+FFFD) are refused with 400 in the error envelope, and change nothing: no row,
 * no call to Conductor.
 */
import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { h, type HttpClient } from "../support/harness";

const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
];

let customer: HttpClient;
let operator: HttpClient;

beforeAll(async () => {
  customer = (await h.customer("hostile-json")).client;
  operator = await h.operator();
});

/** POSTs `body` as is (JSON.stringify would drop or rename some of these keys). */
const post = (client: HttpClient, body: string | Buffer) =>
  client.fetch("/api/end-users", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });

async function expectRefused(send: () => Promise<Response>, code = "invalid_request") {
  const before = await h.writes();
  const response = await send();
  const body = await response.json();
  expect({ status: response.status, code: body.error?.code }).toEqual({ status: 400, code });
  expect(typeof body.error.message).toBe("string");
  expect(await h.writes()).toEqual(before);
  return body.error as { code: string; message: string; fields?: Record<string, string[]> };
}

describe("keys named after Object.prototype's members", () => {
  const key = (name: string) => JSON.stringify(name);

  it.each(PROTOTYPE_KEYS)("%s beside the company name is an unknown field: 400, nothing written", async (name) => {
    const error = await expectRefused(() => post(customer, `{"companyName":"Acme",${key(name)}:1}`));
    expect(Object.keys(error.fields!)).toEqual([name]);
  });

  it.each(PROTOTYPE_KEYS)("%s holding the fields is refused: 400, nothing written", async (name) => {
    const error = await expectRefused(() => post(customer, `{${key(name)}:{"companyName":"Acme"}}`));
    expect(Object.keys(error.fields!)).toContain(name);
  });

  it.each(PROTOTYPE_KEYS)("%s nested inside a field's value is refused: 400, nothing written", async (name) => {
    const error = await expectRefused(() => post(customer, `{"companyName":{${key(name)}:"Acme"}}`));
    expect(Object.keys(error.fields!)).toContain("companyName");
  });

  it.each(PROTOTYPE_KEYS)("%s in an operator's create is refused too: 400, nothing written", async (name) => {
    const fields = `"companyName":"Acme","email":"a@example.test","sourceId":"proto-${Date.now()}"`;
    const error = await expectRefused(() => post(operator, `{${fields},${key(name)}:{"x":{${key(name)}:1}}}`));
    expect(Object.keys(error.fields!)).toEqual([name]);
  });

  it("toString in the onboarding form is an unknown field, reported next to the fields", async () => {
    const { client, id } = await h.customer("proto-form");
    const before = await h.writes();
    const state = h.actions.formState((await h.actions.onboard(client, "Acme", { toString: "1" })).body);
    expect(state).toMatchObject({ status: "error", code: "invalid_request" });
    expect(Object.keys(state.fields!)).toEqual(["toString"]);
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.writes()).toEqual(before);
  });
});

describe("query parameters named after Object.prototype's members", () => {
  it.each(PROTOTYPE_KEYS)(
    "%s on an offboarding is an unknown field: 400, nothing deleted, Conductor not asked",
    async (name) => {
      const { endUser } = await h.onboardedCustomer("proto-query", "Proto Query Ltd");
      const since = Date.now();
      const error = await expectRefused(() =>
        operator.fetch(`/api/end-users/${endUser.id}?${encodeURIComponent(name)}=1`, { method: "DELETE" }),
      );
      expect(Object.keys(error.fields!)).toEqual([name]);
      expect(await h.emulator.calls({ provider: "conductor", since })).toEqual([]);
    },
  );
});

describe("text that is not well-formed", () => {
  it.each([
    ["NUL in an operator's sourceId", "sourceId", `"sourceId":"a\\u0000b"`],
    ["a bell in an operator's sourceId", "sourceId", `"sourceId":"a\\u0007b"`],
    ["NUL in the email", "email", `"sourceId":"nul-mail","email":"a\\u0000@example.test"`],
    ["a lone high surrogate in the company name", "companyName", `"sourceId":"sur-1","companyName":"Acme \\ud800"`],
    ["a lone low surrogate in the sourceId", "sourceId", `"sourceId":"sur-\\udc00"`],
    ["U+FFFD in the sourceId", "sourceId", `"sourceId":"fffd-\\ufffd"`],
  ])("%s: 400 naming %s, nothing written", async (_name, field, fields) => {
    const valid = { companyName: "Acme", email: "a@example.test", sourceId: `valid-${Date.now()}` };
    // JSON.stringify writes NUL and lone surrogates back as \u escapes.
    const body = JSON.stringify({ ...valid, ...JSON.parse(`{${fields}}`) });
    const error = await expectRefused(() => post(operator, body));
    expect(Object.keys(error.fields!)).toEqual([field]);
  });

  it("a customer's company name holding a lone surrogate: 400, nothing written", async () => {
    const error = await expectRefused(() => post(customer, `{"companyName":"Acme \\udfff Ltd"}`));
    expect(Object.keys(error.fields!)).toEqual(["companyName"]);
  });

  it.each([
    ["a byte that is never UTF-8 (0xff)", [0xff]],
    ["an overlong encoding of '/' (0xc0 0xaf)", [0xc0, 0xaf]],
    ["an encoded surrogate (0xed 0xa0 0x80)", [0xed, 0xa0, 0x80]],
    ["a truncated sequence (0xe0 0xa4)", [0xe0, 0xa4]],
  ])("a body with %s in a string is not JSON text: 400 invalid_json, nothing written", async (_name, bytes) => {
    const body = Buffer.concat([Buffer.from('{"companyName":"Acme '), Buffer.from(bytes), Buffer.from('"}')]);
    await expectRefused(() => post(customer, body), "invalid_json");
  });

  it("two company names that differ only in bytes that are not UTF-8 never become one end-user", async () => {
    const { client, id } = await h.customer("utf8-collapse");
    for (const bytes of [[0xff], [0xfe]]) {
      const body = Buffer.concat([Buffer.from('{"companyName":"Acme '), Buffer.from(bytes), Buffer.from('"}')]);
      expect((await post(client, body)).status).toBe(400);
    }
    expect(await h.claim(id)).toBeUndefined();
    expect(await h.cachedCount(id)).toBe(0);
  });
});

describe("a body sent with a GET", () => {
  const cron = { authorization: `Bearer ${h.stack.cronSecret}` };

  /** A GET with a body, which fetch will not send. */
  function getWithBody(path: string, body: string, headers: Record<string, string>): Promise<Response> {
    const cookie = [...operator.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    return new Promise((resolve, reject) => {
      const request = http.request(new URL(path, h.stack.appOrigin), {
        method: "GET",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), cookie, ...headers },
      });
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve(new Response(Buffer.concat(chunks), { status: response.statusCode })));
      });
      request.on("error", reject);
      request.end(body);
    });
  }

  it("GET /api/end-users with a Content-Length of 00 has no body, and is answered", async () => {
    expect((await getWithBody("/api/end-users", "", { "content-length": "00" })).status).toBe(200);
  });

  it.each([
    ["/api/end-users/lookup?sourceId=x", "{}", {}],
    ["/api/end-users", '{"q":"x"}', {}],
    ["/api/cron/reconcile", "{}", cron],
  ])("GET %s with a JSON body (%s) is refused naming the body, and nothing runs", async (path, body, headers) => {
    const error = await expectRefused(() => getWithBody(path, body, headers));
    expect(error.fields).toEqual({ body: ["must be empty: a GET request takes no body"] });
  });
});

describe("a malformed body from a caller who may not call the route", () => {
  const malformed = '{"companyName": ';
  it.each([
    ["signed out, on a customer's route", "POST", "/api/end-users", null, 401],
    ["a customer, on an operator's route", "PUT", "/api/end-users/end_usr_nobody/providers/altur", "customer", 403],
  ] as const)(
    "%s: is told who may call it (%s %s), not what is wrong with the body",
    async (_who, method, path, as, status) => {
      const client = as === "customer" ? customer : h.client();
      const before = await h.writes();
      const response = await client.fetch(path, {
        method,
        headers: { "content-type": "application/json" },
        body: malformed,
      });
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { fields?: unknown } }).error.fields).toBeUndefined();
      expect(await h.writes()).toEqual(before);
    },
  );
});
