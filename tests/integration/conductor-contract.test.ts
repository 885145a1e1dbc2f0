/**
 * The sandbox Conductor, driven by the real conductor-node SDK over HTTP, answers exactly as
 * Conductor's API documents describe: every body and header is checked with the schemas in
 * lib/vendors/conductor.
 */
import Conductor from "conductor-node";
import { beforeEach, describe, expect, it } from "vitest";
import {
  conductorErrorBodySchema,
  endUserDeleteSchema,
  endUserListSchema,
  endUserSchema,
  requestIdSchema,
} from "@/lib/vendors/conductor/schemas";
import { h } from "../support/harness";

const sdk = h.conductor;

/**
 * Asserts that a conductor-node call fails with `type`, its body in Conductor's error shape, and
 * the error matching `expected` (conductor-node's APIError: `status`, the body in `error`, `headers`).
 */
async function expectConductorError(call: Promise<unknown>, type: new (...args: never[]) => Error, expected: object) {
  await expect(call).rejects.toBeInstanceOf(type);
  await expect(call).rejects.toMatchObject({ error: expect.schemaMatching(conductorErrorBodySchema) });
  await expect(call).rejects.toMatchObject(expected);
}

beforeEach(() => h.emulator.disarm());

describe("sandbox Conductor through conductor-node", () => {
  it("creates, retrieves and lists an end-user, every answer matching Conductor's schemas, with no connection yet", async () => {
    const sourceId = `src-${Date.now()}`;
    const created = await sdk.endUsers
      .create({ companyName: "Acme Inc.", sourceId, email: "alice@acme.com" })
      .withResponse();
    expect(created.response.status).toBe(200);
    expect(requestIdSchema.parse(created.response.headers.get("conductor-request-id"))).toMatch(/^req_/);
    const endUser = endUserSchema.strict().parse(created.data);
    expect(endUser).toMatchObject({
      objectType: "end_user",
      companyName: "Acme Inc.",
      sourceId,
      email: "alice@acme.com",
    });
    expect(endUser.id).toMatch(/^end_usr_[a-z0-9]+$/);
    expect(endUser.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // As in Conductor, the QuickBooks Desktop connection appears only once its auth flow is completed.
    expect(endUser.integrationConnections).toEqual([]);

    const retrieved = await sdk.endUsers.retrieve(endUser.id).withResponse();
    requestIdSchema.parse(retrieved.response.headers.get("conductor-request-id"));
    expect(endUserSchema.strict().parse(retrieved.data)).toEqual(endUser);

    const listed = await sdk.endUsers.list().withResponse();
    requestIdSchema.parse(listed.response.headers.get("conductor-request-id"));
    const list = endUserListSchema.parse(listed.data);
    expect(list).toMatchObject({ objectType: "list", url: "/v1/end-users" });
    expect(list.data).toContainEqual(endUser);
  });

  it("answers a wrong key with 401 AUTHENTICATION_ERROR in Conductor's error shape, the request id in header and body", async () => {
    const wrongKey = new Conductor({ apiKey: "sk_conductor_wrong", baseURL: h.emulator.conductorUrl(), maxRetries: 0 });
    const listing = wrongKey.endUsers.list();
    await expectConductorError(listing, Conductor.AuthenticationError, {
      status: 401,
      error: { error: { type: "AUTHENTICATION_ERROR", httpStatusCode: 401 } },
    });
    await expect(listing).rejects.toSatisfy(
      (error: InstanceType<typeof Conductor.APIError>) =>
        typeof error.headers?.["conductor-request-id"] === "string" &&
        error.headers["conductor-request-id"] === conductorErrorBodySchema.parse(error.error).error.requestId,
    );
  });

  it("takes the secret key with the Bearer scheme in any case, as HTTP's schemes are case-insensitive", async () => {
    const listWith = (authorization: string) =>
      fetch(`${h.emulator.conductorUrl()}/end-users`, { headers: { authorization } });
    for (const scheme of ["Bearer", "bearer", "BEARER"])
      expect((await listWith(`${scheme} ${h.stack.secretKey}`)).status, scheme).toBe(200);
    expect((await listWith(`Basic ${h.stack.secretKey}`)).status).toBe(401);
    expect((await listWith(`Bearer${h.stack.secretKey}`)).status).toBe(401);
  });

  it("keeps a company name and sourceId exactly as sent, spaces included, and refuses blank ones with 400", async () => {
    const sourceId = ` spaced-${Date.now()} `;
    const created = await sdk.endUsers.create({ companyName: "  Spaced Co  ", sourceId, email: "a@spaced.co" });
    expect(created).toMatchObject({ companyName: "  Spaced Co  ", sourceId });
    expect(await sdk.endUsers.retrieve(created.id)).toMatchObject({ companyName: "  Spaced Co  ", sourceId });
    await expectConductorError(
      sdk.endUsers.create({ companyName: "   ", sourceId: "s", email: "a@spaced.co" }),
      Conductor.BadRequestError,
      { status: 400, error: { error: { code: "INVALID_PARAMETER", message: expect.stringContaining("companyName") } } },
    );
  });

  it("answers an injected 401 or 404 with the very body it answers on its own for a bad key or an unknown id", async () => {
    const wrongKey = new Conductor({ apiKey: "sk_conductor_wrong", baseURL: h.emulator.conductorUrl(), maxRetries: 0 });
    const body = (call: Promise<unknown>) =>
      call.then(
        () => expect.unreachable(),
        (error: InstanceType<typeof Conductor.APIError>) => {
          const { requestId: _differs, message: _names, ...rest } = conductorErrorBodySchema.parse(error.error).error;
          return rest;
        },
      );
    const ownRefusal = await body(wrongKey.endUsers.list());
    await h.emulator.arm({ provider: "conductor", method: "GET", path: "/end-users", status: 401, times: 1 });
    expect(await body(sdk.endUsers.list())).toEqual(ownRefusal);

    const ownNotFound = await body(sdk.endUsers.retrieve("end_usr_doesnotexist"));
    await h.emulator.arm({ provider: "conductor", method: "GET", path: "/end-users", status: 404, times: 1 });
    expect(await body(sdk.endUsers.list())).toEqual(ownNotFound);
  });

  it("answers a missing field with 400 naming it", async () => {
    await expectConductorError(
      sdk.endUsers.create({ companyName: "Acme", email: "a@acme.com" } as never),
      Conductor.BadRequestError,
      {
        status: 400,
        error: {
          error: {
            type: "INVALID_REQUEST_ERROR",
            code: "MISSING_REQUIRED_PARAMETER",
            httpStatusCode: 400,
            message: expect.stringContaining("sourceId"),
          },
        },
      },
    );
  });

  it("answers an invalid email and an unknown field with 400", async () => {
    await expectConductorError(
      sdk.endUsers.create({ companyName: "Acme", sourceId: "s", email: "nope" }),
      Conductor.BadRequestError,
      { status: 400, error: { error: { code: "INVALID_PARAMETER" } } },
    );
    await expectConductorError(
      sdk.endUsers.create({ companyName: "Acme", sourceId: "s", email: "a@acme.com", plan: "x" } as never),
      Conductor.BadRequestError,
      { status: 400, error: { error: { message: expect.stringContaining("plan") } } },
    );
  });

  it("words a refused body in plain words: one that is not an object, a field of the wrong type, a fraction of a minute", async () => {
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${h.emulator.conductorUrl()}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${h.stack.secretKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      return conductorErrorBodySchema.parse(await response.json()).error;
    };
    expect(await post("/end-users", [])).toMatchObject({
      code: "INVALID_REQUEST_BODY",
      message: "The request body must be a JSON object.",
    });
    expect(await post("/end-users", { companyName: 5, sourceId: "s", email: "a@acme.com" })).toMatchObject({
      code: "INVALID_PARAMETER",
      message: "Invalid value for `companyName`: must be a string.",
    });
    const endUser = await sdk.endUsers.create({
      companyName: "Minutes Co",
      sourceId: `m-${Date.now()}`,
      email: "a@acme.com",
    });
    const session = { publishableKey: h.stack.publishableKey, endUserId: endUser.id };
    expect(await post("/auth-sessions", { ...session, linkExpiryMins: 20.5 })).toMatchObject({
      message: "Invalid value for `linkExpiryMins`: must be an integer.",
    });
    expect(await post("/auth-sessions", { ...session, linkExpiryMins: 14 })).toMatchObject({
      message: "Invalid value for `linkExpiryMins`: must be at least 15.",
    });
  });

  it("takes a body only as JSON of at most 1 MB, answering another content type 415 and a larger body 413, keeping nothing", async () => {
    const sourceId = `body-${Date.now()}`;
    const send = async (path: string, contentType: string, body: string) => {
      const response = await fetch(`${h.emulator.conductorUrl()}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${h.stack.secretKey}`, "content-type": contentType },
        body,
      });
      const answer: unknown = await response.json();
      if (response.ok) return { status: response.status, code: null };
      return { status: response.status, code: conductorErrorBodySchema.parse(answer).error.code };
    };
    const fields = { companyName: "Body Co", sourceId, email: "a@acme.com" };
    expect(await send("/end-users", "text/plain", JSON.stringify(fields))).toEqual({
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
    expect(await send("/auth-sessions", "application/x-www-form-urlencoded", "endUserId=x")).toMatchObject({
      status: 415,
    });
    const large = JSON.stringify({ ...fields, companyName: "x".repeat(1024 * 1024) });
    expect(await send("/end-users", "application/json", large)).toEqual({ status: 413, code: "REQUEST_TOO_LARGE" });
    expect((await sdk.endUsers.list()).data.filter((endUser) => endUser.sourceId === sourceId)).toEqual([]);
    // The same fields as JSON are taken, the media type's parameters and case aside.
    expect((await send("/end-users", "Application/JSON; charset=utf-8", JSON.stringify(fields))).status).toBe(200);
  });

  it("answers an unknown id with 404 RESOURCE_MISSING", async () => {
    await expectConductorError(sdk.endUsers.retrieve("end_usr_doesnotexist"), Conductor.NotFoundError, {
      status: 404,
      error: { error: { code: "RESOURCE_MISSING", httpStatusCode: 404 } },
    });
  });

  it("lets a duplicate sourceId create a second end-user (the behaviour the app must never trigger)", async () => {
    const sourceId = `dup-${Date.now()}`;
    const first = await sdk.endUsers.create({ companyName: "One", sourceId, email: "a@acme.com" });
    const second = await sdk.endUsers.create({ companyName: "Two", sourceId, email: "a@acme.com" });
    expect(second.id).not.toBe(first.id);
  });

  it("deletes an end-user: the answer is conductor-node's EndUserDeleteResponse, and the end-user is gone", async () => {
    const created = await sdk.endUsers.create({
      companyName: "Gone Co",
      sourceId: `del-${Date.now()}`,
      email: "a@gone.co",
    });
    const deleted = await sdk.endUsers.delete(created.id).withResponse();
    requestIdSchema.parse(deleted.response.headers.get("conductor-request-id"));
    expect(endUserDeleteSchema.strict().parse(deleted.data)).toEqual({
      id: created.id,
      objectType: "end_user",
      deleted: true,
    });
    await expect(sdk.endUsers.retrieve(created.id)).rejects.toBeInstanceOf(Conductor.NotFoundError);
    await expect(sdk.endUsers.delete(created.id)).rejects.toBeInstanceOf(Conductor.NotFoundError);
    expect((await sdk.endUsers.list()).data.map((endUser) => endUser.id)).not.toContain(created.id);
  });
});
