/**
 * What Conductor's integration-connection errors mean to the app, whatever HTTP status carries
 * them: "not set up" by its code alone, any other INTEGRATION_CONNECTION_ERROR as one only the
 * customer can fix, with Conductor's advice kept for them.
 */
import Conductor from "conductor-node";
import { describe, expect, it, vi } from "vitest";
import { conductorHasNoSuchResource, fromConductorError } from "@/lib/vendors/conductor/errors";

const body = (type: string, code: string, status: number) => ({
  error: {
    message: `${code} happened.`,
    userFacingMessage: "Open QuickBooks Desktop on the computer that runs it, then try again.",
    type,
    code,
    httpStatusCode: status,
    requestId: "req_unit",
  },
});

const apiError = (status: number, payload: unknown) =>
  Conductor.APIError.generate(status, payload as object, undefined, { "conductor-request-id": "req_unit" });

describe("fromConductorError", () => {
  it.each([400, 401, 403, 404, 409, 422, 424, 428])(
    "maps INTEGRATION_CONNECTION_NOT_SET_UP carried by %i to integration_not_set_up",
    (status) => {
      const error = fromConductorError(
        apiError(status, body("INTEGRATION_CONNECTION_ERROR", "INTEGRATION_CONNECTION_NOT_SET_UP", status)),
      );
      expect(error).toMatchObject({ code: "integration_not_set_up", status: 409 });
      expect(error.details).toMatchObject({
        provider: "conductor",
        upstreamStatus: status,
        conductorRequestId: "req_unit",
      });
    },
  );

  it("maps 502 QBD_CONNECTION_ERROR to integration_connection_error, keeping Conductor's advice", () => {
    const error = fromConductorError(apiError(502, body("INTEGRATION_CONNECTION_ERROR", "QBD_CONNECTION_ERROR", 502)));
    expect(error).toMatchObject({ code: "integration_connection_error", status: 502 });
    expect(error.details.userFacingMessage).toBe(
      "Open QuickBooks Desktop on the computer that runs it, then try again.",
    );
    expect(error.message).toBe(
      "Conductor could not reach QuickBooks Desktop: Open QuickBooks Desktop on the computer that runs it, then try again.",
    );
  });

  it.each([400, 409, 500, 503])("maps any other INTEGRATION_CONNECTION_ERROR carried by %i the same way", (status) => {
    const error = fromConductorError(
      apiError(status, body("INTEGRATION_CONNECTION_ERROR", "QBD_REQUEST_ERROR", status)),
    );
    expect(error.code).toBe("integration_connection_error");
  });

  it.each([
    [409, "INVALID_REQUEST_ERROR", "upstream_conflict"],
    [500, "INTERNAL_ERROR", "upstream_error"],
    [503, "INTERNAL_ERROR", "upstream_error"],
    [401, "AUTHENTICATION_ERROR", "upstream_auth_failed"],
  ])("leaves %i %s to the status table (%s)", (status, type, code) => {
    expect(fromConductorError(apiError(status, body(type, "SOMETHING", status))).code).toBe(code);
  });

  it.each([400, 422])(
    "answers Conductor's %i refusal of a creation, which carries the caller's input, as the caller's to correct (400)",
    (status) => {
      const error = fromConductorError(
        apiError(status, body("INVALID_REQUEST_ERROR", "SOMETHING", status)),
        "endUsers.create",
      );
      expect(error).toMatchObject({ code: "upstream_invalid_request", status: 400 });
    },
  );

  it.each(["endUsers.retrieve", "endUsers.delete", "authSessions.create", "qbd.healthCheck", undefined])(
    "answers Conductor's refusal of %s, a request the app made up itself, as ours (502), with its explanation",
    (operation) => {
      const error = fromConductorError(apiError(400, body("INVALID_REQUEST_ERROR", "SOMETHING", 400)), operation);
      expect(error).toMatchObject({ code: "upstream_refused", status: 502 });
      expect(error.message).toBe(
        "Conductor refused our request: Open QuickBooks Desktop on the computer that runs it, then try again.",
      );
      expect(error.details).toMatchObject({ upstreamStatus: 400, conductorRequestId: "req_unit" });
    },
  );

  it("calls a 404 a missing end-user only with Conductor's RESOURCE_MISSING; any other 404 (a wrong base URL's) a refusal of our request", () => {
    const missing = fromConductorError(apiError(404, body("INVALID_REQUEST_ERROR", "RESOURCE_MISSING", 404)));
    expect(missing).toMatchObject({ code: "end_user_not_found", status: 404 });
    expect(conductorHasNoSuchResource(missing)).toBe(true);
    for (const payload of [
      body("INVALID_REQUEST_ERROR", "ROUTE_NOT_FOUND", 404),
      "<html>Not Found</html>",
      undefined,
    ]) {
      const other = fromConductorError(apiError(404, payload));
      expect(other).toMatchObject({ code: "upstream_refused", status: 502 });
      expect(other.details.conductorRequestId).toBe("req_unit");
      expect(conductorHasNoSuchResource(other)).toBe(false);
    }
  });

  it("calls a 409 whose body could not be read an answer not understood, not a conflict", () => {
    const error = fromConductorError(apiError(409, '{"error": {"mess'), "qbd.healthCheck");
    expect(error).toMatchObject({ code: "upstream_invalid_response", status: 502 });
    expect(error.details.upstreamStatus).toBe(409);
  });

  it.each([
    [400, "endUsers.delete", "upstream_refused"],
    [422, "endUsers.delete", "upstream_refused"],
    [400, "endUsers.create", "upstream_invalid_request"],
  ])(
    "still calls a %i to %s whose body could not be read a refusal (%s): it changed nothing",
    (status, operation, code) => {
      expect(fromConductorError(apiError(status, '{"error": {"mess'), operation).code).toBe(code);
    },
  );

  it("reads Conductor's code from an error body with a type it does not know and no request id: gone is gone, not set up is not set up", () => {
    const unknownType = (code: string, status: number) => ({
      error: {
        message: `${code}.`,
        userFacingMessage: "Advice.",
        type: "NEW_KIND_OF_ERROR",
        code,
        httpStatusCode: status,
      },
    });
    const gone = fromConductorError(apiError(404, unknownType("RESOURCE_MISSING", 404)), "endUsers.delete");
    expect(gone).toMatchObject({ code: "end_user_not_found", status: 404 });
    expect(conductorHasNoSuchResource(gone)).toBe(true);
    expect(fromConductorError(apiError(409, unknownType("INTEGRATION_CONNECTION_NOT_SET_UP", 409)))).toMatchObject({
      code: "integration_not_set_up",
    });
  });

  it("calls a 409 whose error body has a type it does not know still a conflict", () => {
    const body = { error: { message: "Busy.", type: "NEW_KIND_OF_ERROR", code: "BUSY", httpStatusCode: 409 } };
    expect(fromConductorError(apiError(409, body), "endUsers.delete").code).toBe("upstream_conflict");
  });
});

describe("fromConductorError with a failure that is not Conductor's answer", () => {
  /** The JSON log lines written to stderr while `run` runs. */
  function errorLines(run: () => void): Record<string, unknown>[] {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      run();
      return spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    } finally {
      spy.mockRestore();
    }
  }

  it("answers a defect thrown inside a call with internal_error naming an id, logged with the cause's stack under that id", () => {
    let error: ReturnType<typeof fromConductorError> | undefined;
    const defect = new TypeError("Cannot read properties of undefined (reading 'id')");
    const lines = errorLines(() => (error = fromConductorError(defect, "endUsers.create")));
    expect(error).toMatchObject({ code: "internal_error", status: 500 });
    const errorId = /\(error ([0-9a-f-]{36})\)/.exec(error!.message)?.[1];
    expect(errorId).toBeDefined();
    expect(lines).toEqual([
      expect.objectContaining({
        event: "request.failed",
        where: "conductor endUsers.create",
        errorId,
        name: "TypeError",
        message: defect.message,
        stack: defect.stack,
      }),
    ]);
    expect(String(lines[0]!.stack)).toContain("conductor-error-mapping.test.ts");
  });

  it("answers its own abort (a call over its budget) as upstream_timeout, logging no unexpected failure", () => {
    let error: ReturnType<typeof fromConductorError> | undefined;
    const lines = errorLines(() => (error = fromConductorError(new Conductor.APIUserAbortError(), "endUsers.create")));
    expect(error).toMatchObject({ code: "upstream_timeout", details: { provider: "conductor" } });
    expect(lines).toEqual([]);
  });
});
