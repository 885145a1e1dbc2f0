import { z } from "zod";
/**
 * The sandbox Conductor's QuickBooks Desktop health check in its three states, driven by the real
 * conductor-node SDK over HTTP, and the emulator's PUT /_connections/{endUserId} fault that sets them.
 */
import Conductor from "conductor-node";
import { beforeEach, describe, expect, it } from "vitest";
import { healthCheckAnswerSchema } from "@/lib/vendors/conductor/qbd";
import { conductorErrorBodySchema, requestIdSchema } from "@/lib/vendors/conductor/schemas";
import { h } from "../support/harness";
import { sdk, apiError, conductorError, newEndUser, session, form, setState } from "./connection/sandbox";

const { secretKey, emulatorOrigin } = h.stack;

beforeEach(() => h.emulator.disarm());

describe("GET /v1/quickbooks-desktop/health-check", () => {
  it("before the auth flow: a 4xx INTEGRATION_CONNECTION_ERROR with code INTEGRATION_CONNECTION_NOT_SET_UP", async () => {
    const endUser = await newEndUser();
    const error = await apiError(sdk().qbd.healthCheck({ conductorEndUserId: endUser.id }));
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
    expect(conductorError(error)).toMatchObject({
      type: "INTEGRATION_CONNECTION_ERROR",
      code: "INTEGRATION_CONNECTION_NOT_SET_UP",
      httpStatusCode: error.status,
    });
    expect(error.headers?.["conductor-request-id"]).toBe(conductorError(error).requestId);
  });

  it("once connected: conductor-node's QbdHealthCheckResponse, and the request recorded as successful", async () => {
    const endUser = await newEndUser();
    await fetch((await session(endUser.id)).authFlowUrl, form("complete"));
    const before = (await sdk().endUsers.retrieve(endUser.id)).integrationConnections[0]!;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { data, response } = await sdk().qbd.healthCheck({ conductorEndUserId: endUser.id }).withResponse();
    expect(response.status).toBe(200);
    requestIdSchema.parse(response.headers.get("conductor-request-id"));
    expect(z.strictObject(healthCheckAnswerSchema.shape).parse(data)).toEqual({
      duration: expect.any(Number),
      status: "ok",
    });
    const after = (await sdk().endUsers.retrieve(endUser.id)).integrationConnections[0]!;
    expect(Date.parse(after.lastSuccessfulRequestAt!)).toBeGreaterThan(Date.parse(before.lastSuccessfulRequestAt!));
  });

  it("QuickBooks unreachable: 502 QBD_CONNECTION_ERROR naming QuickBooks's own error (0x80040408, could not start QuickBooks), a message saying what to do", async () => {
    const endUser = await newEndUser();
    expect((await setState(endUser.id, "offline")).status).toBe(200);
    const error = await apiError(sdk().qbd.healthCheck({ conductorEndUserId: endUser.id }));
    expect(error).toBeInstanceOf(Conductor.InternalServerError);
    expect(error.status).toBe(502);
    const body = conductorError(error);
    expect(body).toMatchObject({
      type: "INTEGRATION_CONNECTION_ERROR",
      code: "QBD_CONNECTION_ERROR",
      httpStatusCode: 502,
      integrationCode: "0x80040408",
      message: "QBD Connection Error (0x80040408): Could not start QuickBooks.",
    });
    expect(body.userFacingMessage).toMatch(/QuickBooks Desktop is open .* Web Connector is running/);
    // The failed request is recorded, but not as a success.
    const [connection] = (await sdk().endUsers.retrieve(endUser.id)).integrationConnections;
    expect(connection!.lastRequestAt).not.toBeNull();
    expect(connection!.lastSuccessfulRequestAt).toBeNull();
  });

  it("answers a request without Conductor-End-User-Id with 400, and an unknown end-user with 404", async () => {
    const headers = { authorization: `Bearer ${secretKey}` };
    const missing = await fetch(`${h.emulator.conductorUrl()}/quickbooks-desktop/health-check`, { headers });
    expect(missing.status).toBe(400);
    expect(conductorErrorBodySchema.parse(await missing.json()).error.type).toBe("INVALID_REQUEST_ERROR");
    const unknown = await apiError(sdk().qbd.healthCheck({ conductorEndUserId: "end_usr_unknown" }));
    expect(unknown).toBeInstanceOf(Conductor.NotFoundError);
  });
});

describe("the emulator's PUT /_connections/{endUserId} fault", () => {
  it("sets what the health check and the end-user's connection say from then on", async () => {
    const endUser = await newEndUser();
    const check = () => sdk().qbd.healthCheck({ conductorEndUserId: endUser.id });
    const connections = async () => (await sdk().endUsers.retrieve(endUser.id)).integrationConnections;

    expect((await setState(endUser.id, "connected")).status).toBe(200);
    expect(await check()).toEqual({ duration: expect.any(Number), status: "ok" });
    expect((await connections())[0]?.lastSuccessfulRequestAt).not.toBeNull();

    await setState(endUser.id, "offline");
    expect(conductorError(await apiError(check())).code).toBe("QBD_CONNECTION_ERROR");
    expect(await connections()).toHaveLength(1);

    await setState(endUser.id, "connected");
    expect((await check()).status).toBe("ok");

    await setState(endUser.id, "not_set_up");
    expect(conductorError(await apiError(check())).code).toBe("INTEGRATION_CONNECTION_NOT_SET_UP");
    expect(await connections()).toEqual([]);
  });

  it("refuses an unknown state (400) and an unknown end-user (404)", async () => {
    const endUser = await newEndUser();
    expect((await setState(endUser.id, "asleep")).status).toBe(400);
    expect((await setState("end_usr_nobody", "offline")).status).toBe(404);
    const extra = await fetch(`${emulatorOrigin}/_connections/${endUser.id}`, {
      method: "PUT",
      body: JSON.stringify({ state: "offline", when: "now" }),
    });
    expect(extra.status).toBe(400);
    expect((await sdk().endUsers.retrieve(endUser.id)).integrationConnections).toEqual([]);
  });
});
