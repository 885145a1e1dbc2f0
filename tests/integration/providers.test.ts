/**
 * Altur and Dify: the sandboxes answer as seeds 003/004 say (checked with the seed-derived
 * schemas, errors included), and operators link, refresh and unlink a customer's provider
 * end-users, with every failure explained and malformed ids rejected before any call.
 */
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { alturClient } from "@/lib/vendors/altur/client";
import { alturEndUserSchema, alturErrorSchema } from "@/lib/vendors/altur/schemas";
import { difyClient } from "@/lib/vendors/dify/client";
import { difyEndUserSchema, difyErrorSchema } from "@/lib/vendors/dify/schemas";
import { actionId, callAction, formState, idleState } from "../support/actions";
import { emulator } from "../support/emulator";
import { sql } from "../support/db";
import { HttpClient, onboardedCustomer, signIn } from "../support/http";

const { secretKey, operatorEmail, appOrigin, serviceTokens } = inject("stack");
const ALTUR = "a1000000-0000-4000-8000-000000000001";
const DIFY = "d1000000-0000-4000-8000-000000000002";
let operator: HttpClient;

async function onboardedEndUser() {
  return (await onboardedCustomer("linked", "Linked Ltd")).endUser;
}

const put = (endUserId: string, provider: string, externalId: unknown) =>
  operator.fetch(`/api/end-users/${endUserId}/providers/${provider}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ externalId }),
  });

beforeAll(async () => {
  operator = await signIn(operatorEmail);
});
afterEach(() => emulator.disarm());

describe("sandbox Altur (seed 003)", () => {
  const get = (id: string, key = secretKey) =>
    fetch(`${emulator.alturUrl()}/enduser/${id}`, { headers: { authorization: `api-key ${key}` } });

  it("returns each fixed end-user in the seed's shape", async () => {
    for (const id of [
      "a1000000-0000-4000-8000-000000000001",
      "a1000000-0000-4000-8000-000000000002",
      "a1000000-0000-4000-8000-000000000003",
    ]) {
      const response = await get(id);
      expect(response.status).toBe(200);
      expect(alturEndUserSchema.strict().parse(await response.json())).toMatchObject({
        id,
        integration_type: expect.stringMatching(/^(api|whatsapp)$/),
      });
    }
  });

  it.each([
    ["a malformed id", "not-a-uuid", secretKey, 400],
    ["an unknown id", "a1000000-0000-4000-8000-000000000099", secretKey, 404],
    ["a wrong key", ALTUR, "wrong", 401],
  ])("answers %s with Altur's error shape (%s)", async (_label, id, key, status) => {
    const response = await get(id, key);
    expect(response.status).toBe(status);
    expect(alturErrorSchema.parse(await response.json())).toMatchObject({ error: status });
  });
});

describe("sandbox Dify (seed 004)", () => {
  const get = (id: string, key = secretKey) =>
    fetch(`${emulator.difyUrl()}/end-users/${id}`, { headers: { authorization: `Bearer ${key}` } });

  it("returns each fixed end-user with every documented field", async () => {
    for (const id of [
      "d1000000-0000-4000-8000-000000000001",
      "d1000000-0000-4000-8000-000000000002",
      "d1000000-0000-4000-8000-000000000003",
    ]) {
      const body = difyEndUserSchema.strict().parse(await (await get(id)).json());
      expect(Object.keys(body).sort()).toEqual([
        "app_id",
        "created_at",
        "external_user_id",
        "id",
        "is_anonymous",
        "name",
        "session_id",
        "tenant_id",
        "type",
        "updated_at",
      ]);
    }
  });

  it("answers an unknown id with 404 end_user_not_found", async () => {
    const response = await get("d1000000-0000-4000-8000-000000000099");
    expect(response.status).toBe(404);
    expect(difyErrorSchema.parse(await response.json())).toEqual({
      status: 404,
      code: "end_user_not_found",
      message: "End user not found.",
    });
  });

  it("answers a wrong key with 401 in Dify's error shape", async () => {
    const response = await get(DIFY, "wrong");
    expect(response.status).toBe(401);
    expect(difyErrorSchema.parse(await response.json()).code).toBe("unauthorized");
  });
});

describe("linking a customer's Altur and Dify end-users", () => {
  it("links both, shows them to lookups by provider id, refreshes and unlinks, auditing each step", async () => {
    const endUser = await onboardedEndUser();
    const altur = await put(endUser.id, "altur", ALTUR);
    expect(altur.status).toBe(200);
    expect((await altur.json()).link).toMatchObject({
      provider: "altur",
      externalId: ALTUR,
      endUserId: endUser.id,
      displayName: "Ada Lovelace",
      channel: "api",
    });
    expect((await put(endUser.id, "dify", DIFY)).status).toBe(200);

    const lookup = await fetch(`${appOrigin}/api/end-users/lookup?provider=dify&id=${DIFY}`, {
      headers: { authorization: `Bearer ${serviceTokens[0]}` },
    });
    expect(await lookup.json()).toMatchObject({
      id: endUser.id,
      sourceId: endUser.sourceId,
      linkedProviders: { altur: ALTUR, dify: DIFY },
    });

    const page = await (await operator.fetch(`/end-users/${endUser.id}`)).text();
    expect(page).toContain("Ada Lovelace");
    expect(page).toContain("customer-002");
    expect(page).toContain("differs from our sourceId");

    expect((await put(endUser.id, "altur", ALTUR)).status).toBe(200);
    const removed = await operator.fetch(`/api/end-users/${endUser.id}/providers/altur`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect((await operator.fetch(`/api/end-users/${endUser.id}/providers/altur`)).status).toBe(404);
    const audit = await sql<{ action: string }>(
      `SELECT action FROM "AuditEvent" WHERE "endUserId" = $1 AND action::text LIKE 'PROVIDER%' ORDER BY at`,
      [endUser.id],
    );
    expect(audit.map((row) => row.action)).toEqual([
      "PROVIDER_LINKED",
      "PROVIDER_LINKED",
      "PROVIDER_REFRESHED",
      "PROVIDER_UNLINKED",
    ]);
  });

  it.each([
    ["altur", "not-a-uuid"],
    ["altur", "d1000000-0000-1000-8000-000000000002"],
    ["dify", "12345"],
    ["dify", ""],
  ])("rejects a malformed %s id (%j) with 400 and no upstream call", async (provider, id) => {
    const endUser = await onboardedEndUser();
    await emulator.forgetCalls();
    const response = await put(endUser.id, provider, id);
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields).toHaveProperty("externalId");
    expect(await emulator.calls({ provider: provider as "altur" | "dify" })).toEqual([]);
    expect(await sql(`SELECT 1 FROM "ProviderEndUser" WHERE "endUserId" = $1`, [endUser.id])).toEqual([]);
  });

  it("explains Dify's end_user_not_found as a 404", async () => {
    const endUser = await onboardedEndUser();
    const response = await put(endUser.id, "dify", "d1000000-0000-4000-8000-000000000099");
    expect(response.status).toBe(404);
    expect((await response.json()).error).toEqual({
      code: "provider_end_user_not_found",
      message: "Dify has no end-user with this id (End user not found).",
    });
  });

  it("explains Altur's 400 with Altur's own message", async () => {
    const endUser = await onboardedEndUser();
    await emulator.arm({ provider: "altur", status: 400, times: 1 });
    const response = await put(endUser.id, "altur", ALTUR);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({
      code: "upstream_invalid_request",
      message: "Altur rejected the request: Injected failure (400).",
    });
  });

  it("refuses to link one provider end-user to two customers", async () => {
    const [first, second] = [await onboardedEndUser(), await onboardedEndUser()];
    expect((await put(first.id, "altur", "a1000000-0000-4000-8000-000000000003")).status).toBe(200);
    const response = await put(second.id, "altur", "a1000000-0000-4000-8000-000000000003");
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe("already_linked");
  });

  it("answers 404 for an end-user that is not cached, before calling the provider", async () => {
    await emulator.forgetCalls();
    expect((await put("end_usr_nobody", "altur", ALTUR)).status).toBe(404);
    expect(await emulator.calls({ provider: "altur" })).toEqual([]);
  });

  it("links, refreshes and unlinks through the detail page's forms", async () => {
    const endUser = await onboardedEndUser();
    const page = `/end-users/${endUser.id}`;
    const run = (name: string, fields: Record<string, string>) =>
      callAction(
        operator,
        page,
        actionId("app/end-users/[id]/actions.ts", name),
        { endUserId: endUser.id, ...fields },
        { previousState: idleState },
      ).then((r) => formState(r.body));
    expect(await run("linkProviderAction", { provider: "dify", externalId: "bad" })).toMatchObject({
      status: "error",
      fields: { externalId: [expect.any(String)] },
    });
    const free = "d1000000-0000-4000-8000-000000000001";
    expect(await run("linkProviderAction", { provider: "dify", externalId: free })).toEqual({
      status: "success",
      message: `Linked Dify end-user ${free}.`,
    });
    expect(await run("refreshProviderAction", { provider: "dify" })).toEqual({
      status: "success",
      message: "Refreshed from Dify.",
    });
    expect(await run("unlinkProviderAction", { provider: "dify" })).toEqual({
      status: "success",
      message: "Unlinked the Dify end-user.",
    });
    expect(await run("unlinkProviderAction", { provider: "dify" })).toMatchObject({
      status: "error",
      code: "not_found",
    });
  });
});

describe("provider failures through the app's clients", () => {
  it.each(["altur", "dify"] as const)(
    "a wrong %s key → 502 'rejected our credentials', never the key",
    async (provider) => {
      const wrongKey = `wrong-${provider}-key-${Date.now()}`;
      const client =
        provider === "altur"
          ? alturClient({ baseUrl: emulator.alturUrl(), apiKey: wrongKey })
          : difyClient({ baseUrl: emulator.difyUrl(), apiKey: wrongKey });
      const failure = await client
        .retrieveIdentity(provider === "altur" ? ALTUR : DIFY)
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect(failure).toMatchObject({
        status: 502,
        code: "upstream_auth_failed",
        message: expect.stringMatching(/rejected our credentials/),
      });
      expect(JSON.stringify((failure as AppError).toBody())).not.toContain(wrongKey);
    },
  );

  it("a provider that hangs → 504 after the bounded timeout", async () => {
    await emulator.arm({ provider: "dify", hang: true, times: 1 });
    const started = Date.now();
    await expect(
      difyClient({ baseUrl: emulator.difyUrl(), apiKey: secretKey }).retrieveIdentity(DIFY),
    ).rejects.toMatchObject({
      status: 504,
      code: "upstream_timeout",
      message: "Dify did not answer in time.",
    });
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
