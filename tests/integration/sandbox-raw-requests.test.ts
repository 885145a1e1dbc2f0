/**
 * The standalone emulator answers what its providers' handlers never see in each provider's own
 * error shape, and builds its links from its own origin, not from what a request says its host is.
 */
import { describe, expect, it } from "vitest";
import { alturErrorSchema } from "@/lib/vendors/altur/schemas";
import { conductorErrorBodySchema, requestIdSchema } from "@/lib/vendors/conductor/schemas";
import { difyErrorSchema } from "@/lib/vendors/dify/schemas";
import { h } from "../support/harness";
import { rawExchange } from "../support/raw-http";
import { newEndUser, sdk } from "./connection/sandbox";

const { emulatorOrigin, secretKey, publishableKey } = h.stack;
const request = (line: string, headers: string[] = [], body = "") =>
  rawExchange(
    emulatorOrigin,
    [line, ...headers, `Content-Length: ${Buffer.byteLength(body)}`, "Connection: close", "", body].join("\r\n"),
  );
const ownHost = `Host: ${new URL(emulatorOrigin).host}`;

describe("the emulator, for a method fetch cannot carry (TRACE)", () => {
  it("answers under Conductor's mount with Conductor's unknown-route 404 and a request id", async () => {
    const answer = await request("TRACE /conductor/v1/end-users HTTP/1.1", [ownHost]);
    expect(answer.status).toBe(404);
    const { error } = conductorErrorBodySchema.parse(JSON.parse(answer.body));
    expect(error).toMatchObject({ code: "ROUTE_NOT_FOUND", httpStatusCode: 404, type: "INVALID_REQUEST_ERROR" });
    expect(answer.headers["conductor-request-id"]).toBe(error.requestId);
    requestIdSchema.parse(error.requestId);
  });

  it("answers under Altur's and Dify's mounts in their own error shapes", async () => {
    const altur = await request("TRACE /altur/api/v1.0/enduser/x HTTP/1.1", [ownHost]);
    expect(altur.status).toBe(404);
    alturErrorSchema.parse(JSON.parse(altur.body));
    const dify = await request("TRACE /dify/v1/end-users/x HTTP/1.1", [ownHost]);
    expect(dify.status).toBe(404);
    difyErrorSchema.parse(JSON.parse(dify.body));
  });
});

describe("the emulator's own origin", () => {
  it.each([["Host: evil.example"], ["Host: a b"], ["Host: [::1"]])(
    "builds an auth session's authFlowUrl on itself whatever the request says (%s)",
    async (hostHeader) => {
      const endUser = await newEndUser();
      const answer = await request(
        "POST /conductor/v1/auth-sessions HTTP/1.1",
        [hostHeader, `Authorization: Bearer ${secretKey}`, "Content-Type: application/json"],
        JSON.stringify({ publishableKey, endUserId: endUser.id }),
      );
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).authFlowUrl).toMatch(new RegExp(`^${emulatorOrigin}/conductor/connect/qbd/`));
    },
  );

  it("serves a full URL in the request line as its own path, not as another host's", async () => {
    // A name beyond ASCII, as other tests' end-users in the list have: the answer's chunk sizes count bytes.
    const endUser = await sdk().endUsers.create({
      companyName: "Café Ünïcode ✓",
      sourceId: `raw-${Date.now()}`,
      email: "raw@flow.example",
    });
    const answer = await request("GET http://evil.example/conductor/v1/end-users HTTP/1.1", [
      ownHost,
      `Authorization: Bearer ${secretKey}`,
    ]);
    expect(answer.status).toBe(200);
    const list = JSON.parse(answer.body) as { objectType: string; data: { id: string; companyName: string }[] };
    expect(list.objectType).toBe("list");
    expect(list.data.find(({ id }) => id === endUser.id)?.companyName).toBe("Café Ünïcode ✓");
  });
});
