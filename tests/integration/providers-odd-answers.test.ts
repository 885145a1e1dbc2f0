/**
 * What Altur or Dify may answer that their sandboxes never do, from a stand-in server this file
 * runs: an answer about another end-user, a refusal with a long message, a 404 from a wrong base
 * URL, the channel under the name the reference requires. The app's clients and the app itself
 * meet each over HTTP.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alturClient } from "@/lib/vendors/altur/client";
import { difyClient } from "@/lib/vendors/dify/client";
import { h } from "../support/harness";

const ALTUR = "a1000000-0000-4000-8000-000000000001";
const OTHER_ALTUR = "a1000000-0000-4000-8000-000000000002";
const DIFY = "d1000000-0000-4000-8000-000000000002";
const API_KEY = "stand-in-key";

let answer: { status: number; body: unknown } = { status: 500, body: {} };
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const altur = () => alturClient({ baseUrl, apiKey: API_KEY });
const dify = () => difyClient({ baseUrl, apiKey: API_KEY });

describe("odd answers from Altur and Dify", () => {
  it("links nothing when Altur answers about another end-user than the one asked for: 502 upstream_invalid_response", async () => {
    answer = { status: 200, body: { id: OTHER_ALTUR, display_name: "Someone Else", integration_type: "api" } };
    const app = await h.startApp({ ALTUR_BASE_URL: baseUrl, ALTUR_API_KEY: API_KEY });
    const { endUser } = await h.onboardedCustomer("odd-altur", "Odd Answer Ltd");
    const operator = await h.signIn(h.stack.operatorEmail, app.origin);
    const response = await operator.fetch(`/api/end-users/${endUser.id}/providers/altur`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ externalId: ALTUR }),
    });
    expect(response.status).toBe(502);
    expect((await response.json()).error).toEqual({
      code: "upstream_invalid_response",
      message: "Altur answered with something we could not understand.",
    });
    expect(await h.count(`SELECT 1 FROM "ProviderEndUser" WHERE "endUserId" = $1`, [endUser.id])).toBe(0);
  });

  it("answers a 400 from Altur as Altur refusing our request (502, not the caller's bad input), its message cut to 200 characters", async () => {
    answer = { status: 400, body: { error: 400, message: `${"x".repeat(5_000)} <script>` } };
    const refusal = await altur()
      .retrieveIdentity(ALTUR)
      .catch((error: unknown) => error);
    expect(refusal).toMatchObject({ status: 502, code: "upstream_refused" });
    const { message } = refusal as Error;
    expect(message).toBe(`Altur refused our request: ${"x".repeat(199)}….`);
  });

  it("answers a Dify 404 that is not end_user_not_found (a wrong base URL) as not understood, not as an unknown end-user", async () => {
    answer = { status: 404, body: { status: 404, code: "not_found", message: "The requested URL was not found." } };
    await expect(dify().retrieveIdentity(DIFY)).rejects.toMatchObject({
      status: 502,
      code: "upstream_invalid_response",
    });
    answer = { status: 404, body: { status: 404, code: "end_user_not_found", message: "End user not found." } };
    await expect(dify().retrieveIdentity(DIFY)).rejects.toMatchObject({
      status: 404,
      code: "provider_end_user_not_found",
    });
  });

  it("answers an Altur 404 whose message does not speak of the end-user (another route, a wrong base URL) as not understood, not as an unknown end-user", async () => {
    answer = { status: 404, body: { error: 404, message: "Not found." } };
    await expect(altur().retrieveIdentity(ALTUR)).rejects.toMatchObject({
      status: 502,
      code: "upstream_invalid_response",
    });
    answer = { status: 404, body: { error: 404, message: "EndUser not found." } };
    await expect(altur().retrieveIdentity(ALTUR)).rejects.toMatchObject({
      status: 404,
      code: "provider_end_user_not_found",
    });
  });

  it("reads Altur's channel from `integration` when `integration_type` is absent, and ignores one that is not a channel", async () => {
    answer = { status: 200, body: { id: ALTUR, display_name: "Ada Lovelace", integration: "whatsapp" } };
    expect(await altur().retrieveIdentity(ALTUR)).toMatchObject({ externalId: ALTUR, channel: "whatsapp" });
    answer = { status: 200, body: { id: ALTUR, display_name: "Ada Lovelace", integration: { id: 7 } } };
    expect(await altur().retrieveIdentity(ALTUR)).toMatchObject({ externalId: ALTUR, channel: null });
  });
});
