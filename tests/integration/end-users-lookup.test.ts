/**
 * The mapping lookup, GET /api/end-users/lookup: sourceId → Conductor id and back from the
 * cache, for service tokens (both of a rotation), its parameters validated, and the same
 * function for server code.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";

const prefix = `look${Date.now()}`;

beforeAll(async () => {
  await h.seedCachedEndUsers(prefix, 10);
});

describe("GET /api/end-users/lookup", () => {
  it("maps sourceId → Conductor id and back, from the cache", async () => {
    const bySource = await h.service(`/api/end-users/lookup?sourceId=${prefix}-src-7`);
    expect(bySource.status).toBe(200);
    const mapping = await bySource.json();
    expect(mapping).toEqual({
      id: `end_usr_${prefix}00007`,
      sourceId: `${prefix}-src-7`,
      companyName: `Company ${prefix} 7`,
      email: `owner7@${prefix}.example`,
      createdAt: expect.any(String),
      syncedAt: expect.any(String),
      connectionStatus: "not_started",
      missingUpstreamSince: null,
      offboardingSince: null,
      linkedProviders: { altur: null, dify: null },
    });
    const byId = await (await h.service(`/api/end-users/lookup?id=${mapping.id}`)).json();
    expect(byId).toEqual(mapping);
  });

  it("says when a refresh no longer found the end-user in Conductor, so a caller can tell", async () => {
    const id = `end_usr_${prefix}00008`;
    await h.sql(`UPDATE "ConductorEndUser" SET "missingUpstreamSince" = timestamp '2026-11-01 09:30' WHERE "id" = $1`, [
      id,
    ]);
    const mapping = await (await h.service(`/api/end-users/lookup?id=${id}`)).json();
    expect(mapping).toMatchObject({ id, missingUpstreamSince: "2026-11-01T09:30:00.000Z" });
  });

  it("accepts the second token of a rotation too", async () => {
    expect((await h.service(`/api/end-users/lookup?sourceId=${prefix}-src-7`, h.stack.serviceTokens[1])).status).toBe(
      200,
    );
  });

  it("answers 401 with a Bearer challenge, naming a token that did not verify, and 400 for a malformed one (RFC 6750)", async () => {
    const path = `${h.stack.appOrigin}/api/end-users/lookup?sourceId=${prefix}-src-7`;
    const without = await fetch(path);
    expect(without.status).toBe(401);
    expect(without.headers.get("www-authenticate")).toBe("Bearer");
    const wrong = await fetch(path, { headers: { authorization: "Bearer svc_not_a_token" } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    // Another scheme is no bearer token at all.
    const basic = await fetch(path, { headers: { authorization: "Basic Zm9vOmJhcg==" } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get("www-authenticate")).toBe("Bearer");
    // The bearer scheme with something other than one token is a malformed request: 400 (RFC 6750 3.1).
    for (const authorization of [
      "Bearer",
      `Bearer ${h.stack.serviceTokens[0]} ${h.stack.serviceTokens[1]}`,
      `Bearer\t${h.stack.serviceTokens[0]}`,
    ]) {
      const malformed = await fetch(path, { headers: { authorization } });
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get("www-authenticate")).toBe('Bearer error="invalid_request"');
      expect((await malformed.json()).error).toMatchObject({
        code: "invalid_request",
        fields: { authorization: ["must be the Bearer scheme, then one token after a space"] },
      });
    }
    // RFC 6750 takes one space or more between the scheme and the token.
    const spaced = await fetch(path, { headers: { authorization: `Bearer   ${h.stack.serviceTokens[0]}` } });
    expect(spaced.status).toBe(200);
  });

  it("answers 404 for an unknown key", async () => {
    const response = await h.service(`/api/end-users/lookup?sourceId=nobody-${Date.now()}`);
    expect(response.status).toBe(404);
    expect((await response.json()).error).toEqual({
      code: "end_user_not_found",
      message: "No cached end-user matches.",
    });
  });

  it.each([
    [
      "a Conductor id",
      "end_usr_abc123",
      /not a Conductor end-user id \(end_usr_…\)\. To look up a Conductor id, send it as id\.$/,
    ],
    ["a decomposed accent", "cafe\u0301", /must be in Unicode's composed form \(NFC\)/],
    ["a zero-width space", "a\u200bb", /must not be empty or contain spaces or invisible characters\.$/],
  ])(
    "answers 404 for %s given as sourceId, saying why no sourceId the app creates is like it",
    async (_label, sourceId, why) => {
      const response = await h.service(`/api/end-users/lookup?sourceId=${encodeURIComponent(sourceId)}`);
      expect(response.status).toBe(404);
      const { error } = await response.json();
      expect(error.code).toBe("end_user_not_found");
      expect(error.message).toMatch(/^No cached end-user matches\. The sourceId is unlike any this app creates: it /);
      expect(error.message).toMatch(why);
    },
  );

  it.each([
    ["a missing key", "", "sourceId"],
    ["both keys", "sourceId=a&id=b", "id"],
    ["an oversized sourceId", `sourceId=${"s".repeat(256)}`, "sourceId"],
    ["a repeated sourceId (wrong type)", "sourceId=a&sourceId=b", "sourceId"],
    ["an empty sourceId", "sourceId=", "sourceId"],
    ["an id that is not a Conductor end-user id", "id=abc", "id"],
    ["a Conductor id with a space before it", "id=%20end_usr_abc", "id"],
    ["a Conductor id with a character it never holds", "id=end_usr_x%23", "id"],
    ["an unknown parameter", "email=a@b.co", "email"],
    ["a malformed Altur id", "provider=altur&id=not-a-uuid", "id"],
    ["an unknown provider", "provider=zapier&id=x", "provider"],
  ])("rejects %s with 400 naming the field", async (_label, query, field) => {
    const response = await h.service(`/api/end-users/lookup?${query}`);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("invalid_request");
    expect(Object.keys(error.fields)).toContain(field);
  });

  it("lets server code call the same function directly, for a job, a service or an operator, and refuses it for a customer or nobody", async () => {
    const { lookupEndUser } = await import("@/lib/use-cases/lookup/lookup");
    const key = { sourceId: `${prefix}-src-9` };
    for (const actor of [
      { kind: "system", job: "scheduler" },
      { kind: "service", tokenId: "t1" },
      { kind: "operator", id: "u1", email: "ops@example.test" },
    ] as const)
      expect((await lookupEndUser(actor, key)).id).toBe(`end_usr_${prefix}00009`);
    await expect(lookupEndUser({ kind: "cron" }, { id: "end_usr_nope" })).rejects.toMatchObject({
      status: 404,
      code: "end_user_not_found",
    });
    const customer = { kind: "customer", id: `${prefix}-src-9`, email: "owner@example.test" } as const;
    await expect(lookupEndUser(customer, key)).rejects.toMatchObject({ status: 403, code: "forbidden" });
    await expect(lookupEndUser({ kind: "anonymous" }, key)).rejects.toMatchObject({
      status: 401,
      code: "unauthenticated",
    });
  });
});
