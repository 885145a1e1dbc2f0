/**
 * The sandbox Conductor, driven by the real conductor-node SDK over HTTP, answers exactly as the
 * seeds describe: every body and header is checked with the seed-derived schemas.
 */
import Conductor from "conductor-node";
import { beforeEach, describe, expect, inject, it } from "vitest";
import {
  conductorErrorBodySchema,
  endUserDeleteSchema,
  endUserListSchema,
  endUserSchema,
  requestIdSchema,
} from "@/lib/vendors/conductor/schemas";
import { emulator } from "../support/emulator";

const { secretKey } = inject("stack");
const sdk = (apiKey = secretKey) => new Conductor({ apiKey, baseURL: emulator.conductorUrl(), maxRetries: 0 });

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof Conductor.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Conductor.APIError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

beforeEach(() => emulator.disarm());

describe("sandbox Conductor through conductor-node", () => {
  it("creates, retrieves and lists an end-user, every answer matching the seeds, with no connection yet", async () => {
    const sourceId = `src-${Date.now()}`;
    const created = await sdk()
      .endUsers.create({ companyName: "Acme Inc.", sourceId, email: "alice@acme.com" })
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

    const retrieved = await sdk().endUsers.retrieve(endUser.id).withResponse();
    requestIdSchema.parse(retrieved.response.headers.get("conductor-request-id"));
    expect(endUserSchema.strict().parse(retrieved.data)).toEqual(endUser);

    const listed = await sdk().endUsers.list().withResponse();
    requestIdSchema.parse(listed.response.headers.get("conductor-request-id"));
    const list = endUserListSchema.parse(listed.data);
    expect(list).toMatchObject({ objectType: "list", url: "/v1/end-users" });
    expect(list.data).toContainEqual(endUser);
  });

  it("answers a wrong key with 401 AUTHENTICATION_ERROR in Conductor's error shape", async () => {
    const error = await apiError(sdk("sk_conductor_wrong").endUsers.list());
    expect(error).toBeInstanceOf(Conductor.AuthenticationError);
    expect(error.status).toBe(401);
    const body = conductorErrorBodySchema.parse(error.error);
    expect(body.error).toMatchObject({ type: "AUTHENTICATION_ERROR", httpStatusCode: 401 });
    expect(error.headers?.["conductor-request-id"]).toBe(body.error.requestId);
  });

  it("answers a missing field with 400 naming it", async () => {
    const error = await apiError(sdk().endUsers.create({ companyName: "Acme", email: "a@acme.com" } as never));
    expect(error).toBeInstanceOf(Conductor.BadRequestError);
    const body = conductorErrorBodySchema.parse(error.error);
    expect(body.error).toMatchObject({
      type: "INVALID_REQUEST_ERROR",
      code: "MISSING_REQUIRED_PARAMETER",
      httpStatusCode: 400,
    });
    expect(body.error.message).toContain("sourceId");
  });

  it("answers an invalid email and an unknown field with 400", async () => {
    const invalid = await apiError(sdk().endUsers.create({ companyName: "Acme", sourceId: "s", email: "nope" }));
    expect(conductorErrorBodySchema.parse(invalid.error).error).toMatchObject({ code: "INVALID_PARAMETER" });
    const unknown = await apiError(
      sdk().endUsers.create({ companyName: "Acme", sourceId: "s", email: "a@acme.com", plan: "x" } as never),
    );
    expect(conductorErrorBodySchema.parse(unknown.error).error.message).toContain("plan");
  });

  it("answers an unknown id with 404 RESOURCE_MISSING", async () => {
    const error = await apiError(sdk().endUsers.retrieve("end_usr_doesnotexist"));
    expect(error).toBeInstanceOf(Conductor.NotFoundError);
    expect(conductorErrorBodySchema.parse(error.error).error).toMatchObject({
      code: "RESOURCE_MISSING",
      httpStatusCode: 404,
    });
  });

  it("lets a duplicate sourceId create a second end-user (the behaviour the app must never trigger)", async () => {
    const sourceId = `dup-${Date.now()}`;
    const first = await sdk().endUsers.create({ companyName: "One", sourceId, email: "a@acme.com" });
    const second = await sdk().endUsers.create({ companyName: "Two", sourceId, email: "a@acme.com" });
    expect(second.id).not.toBe(first.id);
  });

  it("deletes an end-user: the answer is conductor-node's EndUserDeleteResponse, and the end-user is gone", async () => {
    const created = await sdk().endUsers.create({
      companyName: "Gone Co",
      sourceId: `del-${Date.now()}`,
      email: "a@gone.co",
    });
    const deleted = await sdk().endUsers.delete(created.id).withResponse();
    requestIdSchema.parse(deleted.response.headers.get("conductor-request-id"));
    expect(endUserDeleteSchema.strict().parse(deleted.data)).toEqual({
      id: created.id,
      objectType: "end_user",
      deleted: true,
    });
    expect(await apiError(sdk().endUsers.retrieve(created.id))).toBeInstanceOf(Conductor.NotFoundError);
    expect(await apiError(sdk().endUsers.delete(created.id))).toBeInstanceOf(Conductor.NotFoundError);
    expect((await sdk().endUsers.list()).data.map((endUser) => endUser.id)).not.toContain(created.id);
  });
});
