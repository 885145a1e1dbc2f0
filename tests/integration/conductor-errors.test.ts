/**
 * Every row of the Conductor error table, produced by the sandbox over HTTP and read through
 * the app's gateway: the status we answer with, our code, a message fit for a user, and the
 * Conductor request id. No log line or error ever carries the secret key.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { upstreamStatus } from "@/lib/platform/upstream-health";
import { callBudgetMs } from "@/lib/vendors/conductor/call";
import { callOptions, createConductorSdk } from "@/lib/vendors/conductor/client";
import { conductorGateway } from "@/lib/vendors/conductor/gateway";
import { outcomeUnknown } from "@/lib/vendors/conductor/errors";
import { endUserAnswer } from "@/lib/vendors/conductor/reshape";
import { h } from "../support/harness";

const { secretKey, publishableKey } = h.stack;
const gateway = (baseUrl = h.emulator.conductorUrl()) =>
  conductorGateway(createConductorSdk({ baseUrl, apiKey: secretKey }, 1_500), {
    timeoutMs: 1_500,
    healthCheckTimeoutMs: 1_500,
    publishableKey,
  });
const { createEndUser, listEndUsers, retrieveEndUser } = gateway();

/** Every console line of this file, kept (and still printed) to look for the key in. */
const logged: string[] = [];
beforeAll(() => {
  for (const method of ["log", "info", "warn", "error"] as const) {
    const original = console[method];
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
      original(...args);
    });
  }
});
afterAll(() => {
  vi.restoreAllMocks();
});

/**
 * Asserts that `call` failed with `status` and `code` on an answer whose headers arrived but whose
 * body could not be read: its request id named, no upstream status, so its outcome is unknown.
 */
async function expectUnreadAnswer(call: Promise<unknown>, status: number, code: string) {
  await expect(call).rejects.toMatchObject({
    status,
    code,
    details: { conductorRequestId: expect.stringMatching(/^req_[a-z0-9]+$/) },
  });
  await expect(call).rejects.toSatisfy(
    (error: AppError) => error.details.upstreamStatus === undefined && outcomeUnknown(error),
  );
}

beforeEach(() => h.emulator.disarm());
afterAll(() => h.emulator.disarm());

describe("Conductor errors", () => {
  it.each([
    [400, 400, "upstream_invalid_request", /rejected/i],
    [401, 502, "upstream_auth_failed", /rejected our credentials/],
    [403, 502, "upstream_auth_failed", /rejected our credentials/],
    [404, 404, "end_user_not_found", /no end-user with this id/],
    [409, 502, "upstream_conflict", /reported a conflict/],
    [422, 400, "upstream_invalid_request", /rejected|could not process/i],
    [429, 429, "upstream_rate_limited", /rate-limiting/],
    [500, 502, "upstream_error", /had a problem/],
    [503, 502, "upstream_error", /had a problem/],
  ])("Conductor %i → %i %s with its request id", async (upstream, status, code, message) => {
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: upstream, times: 1 });
    const creation = createEndUser({ companyName: "Acme", sourceId: `err-${upstream}`, email: "a@acme.com" });
    await expect(creation).rejects.toBeInstanceOf(AppError);
    await expect(creation).rejects.toMatchObject({
      status,
      code,
      message: expect.stringMatching(message),
      details: { conductorRequestId: expect.stringMatching(/^req_[a-z0-9]+$/), upstreamStatus: upstream },
    });
    await expect(creation).rejects.toSatisfy(
      (error: AppError) => error.toBody().error.conductorRequestId === error.details.conductorRequestId,
    );
  });

  it("a read that never answers → 504 upstream_timeout, after the bounded timeout", async () => {
    await h.emulator.arm({
      provider: "conductor",
      method: "GET",
      path: "/end-users/end_usr_hang",
      hang: true,
      times: 5,
    });
    const started = Date.now();
    const retrieval = retrieveEndUser("end_usr_hang");
    await expect(retrieval).rejects.toBeInstanceOf(AppError);
    await expect(retrieval).rejects.toMatchObject({
      status: 504,
      code: "upstream_timeout",
      message: "Conductor did not answer in time.",
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("reads retry a transient failure and succeed", async () => {
    await h.emulator.forgetCalls();
    await h.emulator.arm({ provider: "conductor", method: "GET", path: "/end-users", status: 503, times: 1 });
    const { data } = await listEndUsers();
    expect(Array.isArray(data)).toBe(true);
    expect(
      (await h.emulator.calls({ provider: "conductor", method: "GET", path: "/end-users" })).map((call) => call.status),
    ).toEqual([503, 200]);
  });

  it("creation is never retried by the SDK, even on a retryable status", async () => {
    await h.emulator.forgetCalls();
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: 503, times: 1 });
    await expect(
      createEndUser({ companyName: "Acme", sourceId: `once-${Date.now()}`, email: "a@acme.com" }),
    ).rejects.toMatchObject({ status: 502, code: "upstream_error" });
    expect(await h.emulator.calls({ provider: "conductor", method: "POST" })).toHaveLength(1);
  });

  it("an answer cut off mid-body → 502 upstream_invalid_response with its request id, no status, so a creation's outcome stays unknown", async () => {
    await h.emulator.arm({ provider: "conductor", method: "GET", path: "/end-users", truncate: true, times: 1 });
    await expectUnreadAnswer(listEndUsers(), 502, "upstream_invalid_response");
  });

  it("an answer of a shape the app cannot read → 502 upstream_invalid_response, and Conductor counts as unavailable (/api/health) until an answer it can read", async () => {
    const sourceId = `shape-${Date.now()}`;
    const { data: created } = await createEndUser({ companyName: "Odd Shape Co", sourceId, email: "o@shape.co" });
    expect(upstreamStatus("conductor")).toBe("ok");
    await h.emulator.arm({
      provider: "conductor",
      method: "GET",
      path: `/end-users/${created.id}`,
      addFields: { createdAt: "yesterday" },
      times: 1,
    });
    await expect(retrieveEndUser(created.id)).rejects.toMatchObject({ status: 502, code: "upstream_invalid_response" });
    expect(upstreamStatus("conductor")).toBe("unavailable");
    expect((await retrieveEndUser(created.id)).data.id).toBe(created.id);
    expect(upstreamStatus("conductor")).toBe("ok");
    await h.conductor.endUsers.delete(created.id);
  });

  it("an answer that stalls halfway through its body → 504 upstream_timeout with its request id once the timeout has passed again, its outcome unknown", async () => {
    await h.emulator.arm({
      provider: "conductor",
      method: "POST",
      path: "/end-users",
      truncate: true,
      hang: true,
      times: 1,
    });
    const creation = createEndUser({ companyName: "Stalled Co", sourceId: `stall-${Date.now()}`, email: "s@stall.co" });
    await expectUnreadAnswer(creation, 504, "upstream_timeout");
  });

  it("a refusal whose body stalls halfway (the SDK reads that one itself) → 504 upstream_timeout with its request id once the call's budget has passed, its outcome unknown", async () => {
    // Conductor's own answer to an unknown id is a 404: its headers arrive, then half its body.
    await h.emulator.arm({
      provider: "conductor",
      method: "GET",
      path: "/end-users/end_usr_refusal_stall",
      truncate: true,
      hang: true,
      times: 1,
    });
    const started = Date.now();
    const retrieval = retrieveEndUser("end_usr_refusal_stall");
    await expectUnreadAnswer(retrieval, 504, "upstream_timeout");
    const budget = callBudgetMs(callOptions(1_500).interactive);
    expect(Date.now() - started).toBeGreaterThanOrEqual(budget);
    expect(Date.now() - started).toBeLessThan(budget + 3_000);
  });

  it("a health check refused with a body that stalls → 504 upstream_timeout, not a verdict on the connection", async () => {
    const { id } = await h.conductor.endUsers.create({
      companyName: "Stalled Check",
      sourceId: `stalled-check-${Date.now()}`,
      email: "check@stall.co",
    });
    // Without a connection Conductor refuses the check (409 INTEGRATION_CONNECTION_NOT_SET_UP).
    await h.emulator.arm({
      provider: "conductor",
      path: "/quickbooks-desktop/*",
      truncate: true,
      hang: true,
      times: 1,
    });
    const check = gateway().qbd.healthCheck({ conductorEndUserId: id });
    await expectUnreadAnswer(check, 504, "upstream_timeout");
  });

  it("an unreachable Conductor → 503 upstream_unavailable", async () => {
    await expect(gateway("http://127.0.0.1:9/conductor/v1").listEndUsers()).rejects.toMatchObject({
      status: 503,
      code: "upstream_unavailable",
      message: "Conductor could not be reached.",
    });
  });

  it("never writes the secret key in a log line or an error", async () => {
    // Calls that log (a success, a refusal, an unreachable host) whatever else ran before.
    await listEndUsers();
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: 401, times: 1 });
    const refused = createEndUser({ companyName: "Acme", sourceId: `log-${Date.now()}`, email: "a@acme.com" });
    await expect(refused).rejects.toSatisfy((error: AppError) => !JSON.stringify(error.toBody()).includes(secretKey));
    await expect(gateway("http://127.0.0.1:9/conductor/v1").listEndUsers()).rejects.toBeInstanceOf(AppError);
    expect(logged.length).toBeGreaterThan(2);
    expect(logged.join("\n")).not.toContain(secretKey);
  });
});

describe("malformed answers", () => {
  it("an answer that breaks the documented schema is an error, never passed through", async () => {
    const upstreamEndUserSchema = endUserAnswer;
    const valid = {
      id: "end_usr_1",
      objectType: "end_user",
      createdAt: "2024-01-01T12:34:56.789Z",
      companyName: "Acme",
      sourceId: "s",
      email: "a@b.co",
      integrationConnections: [],
    };
    expect(upstreamEndUserSchema.safeParse(valid).success).toBe(true);
    for (const field of Object.keys(valid)) {
      const broken: Record<string, unknown> = { ...valid };
      delete broken[field];
      expect(upstreamEndUserSchema.safeParse(broken).success, `without ${field}`).toBe(false);
    }
    expect(upstreamEndUserSchema.safeParse({ ...valid, objectType: "list" }).success).toBe(false);
    expect(upstreamEndUserSchema.safeParse({ ...valid, createdAt: "yesterday" }).success).toBe(false);
    const connection = {
      id: "int_conn_1",
      objectType: "integration_connection",
      createdAt: valid.createdAt,
      integrationSlug: "xero",
      lastRequestAt: null,
      lastSuccessfulRequestAt: null,
    };
    expect(upstreamEndUserSchema.safeParse({ ...valid, integrationConnections: [connection] }).success).toBe(false);
  });
});
