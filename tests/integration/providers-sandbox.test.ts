/**
 * The sandbox Altur and Dify answer as their API documents say: the fixed end-users and the
 * errors, each checked with the schemas in lib/vendors.
 */
import { describe, expect, it } from "vitest";
import { alturEndUserSchema, alturErrorSchema } from "@/lib/vendors/altur/schemas";
import { difyEndUserSchema, difyErrorSchema } from "@/lib/vendors/dify/schemas";
import { h } from "../support/harness";

const { secretKey } = h.stack;
const ALTUR = "a1000000-0000-4000-8000-000000000001";
const DIFY = "d1000000-0000-4000-8000-000000000002";

describe("sandbox Altur", () => {
  const get = (id: string, key = secretKey) =>
    fetch(`${h.emulator.alturUrl()}/enduser/${id}`, { headers: { authorization: `api-key ${key}` } });

  it("returns each fixed end-user in Altur's documented shape", async () => {
    for (const id of [
      "a1000000-0000-4000-8000-000000000001",
      "a1000000-0000-4000-8000-000000000002",
      "a1000000-0000-4000-8000-000000000003",
    ]) {
      const response = await get(id);
      expect(response.status).toBe(200);
      const body = alturEndUserSchema.strict().parse(await response.json());
      // The reference requires `integration` and defines `integration_type`: both are there, alike.
      expect(body).toMatchObject({ id, integration_type: expect.stringMatching(/^(api|whatsapp)$/) });
      expect(body.integration).toBe(body.integration_type);
    }
  });

  it("finds a fixed end-user by its id written in capitals, since a UUID is the same in either case", async () => {
    const response = await get(ALTUR.toUpperCase());
    expect(response.status).toBe(200);
    expect(alturEndUserSchema.parse(await response.json()).id).toBe(ALTUR);
  });

  it.each([
    ["a malformed id", "not-a-uuid", secretKey, 400],
    ["an id whose percent-escapes are not UTF-8", "%E0%A4%A", secretKey, 400],
    ["an unknown id", "a1000000-0000-4000-8000-000000000099", secretKey, 404],
    ["a wrong key", ALTUR, "wrong", 401],
  ])("answers %s with Altur's error shape (%s)", async (_label, id, key, status) => {
    const response = await get(id, key);
    expect(response.status).toBe(status);
    expect(alturErrorSchema.parse(await response.json())).toMatchObject({ error: status });
  });
});

describe("sandbox Dify", () => {
  const get = (id: string, key = secretKey) =>
    fetch(`${h.emulator.difyUrl()}/end-users/${id}`, { headers: { authorization: `Bearer ${key}` } });

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

  it("finds a fixed end-user by its id written in capitals, since a UUID is the same in either case", async () => {
    const response = await get(DIFY.toUpperCase());
    expect(response.status).toBe(200);
    expect(difyEndUserSchema.parse(await response.json()).id).toBe(DIFY);
  });

  it.each([
    ["an unknown id", "d1000000-0000-4000-8000-000000000099"],
    ["an id whose percent-escapes are not UTF-8", "%E0%A4%A"],
  ])("answers %s with 404 end_user_not_found", async (_label, id) => {
    const response = await get(id);
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

  it("answers an injected 401 or 404 with the very body it sends on its own, and another status named as Dify names it", async () => {
    const injected = async (status: number) => {
      await h.emulator.arm({ provider: "dify", status, times: 1 });
      const response = await get(DIFY);
      return { status: response.status, body: difyErrorSchema.parse(await response.json()) };
    };
    const own = async (response: Response) => ({ status: response.status, body: await response.json() });
    expect(await injected(401)).toEqual(await own(await get(DIFY, "wrong")));
    expect(await injected(404)).toEqual(await own(await get("d1000000-0000-4000-8000-000000000099")));
    expect((await injected(503)).body).toMatchObject({ status: 503, code: "service_unavailable" });
    expect((await injected(429)).body).toMatchObject({ status: 429, code: "too_many_requests" });
  });
});
