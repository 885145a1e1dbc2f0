/**
 * A creation whose answer from Conductor is slow: the claim must outlast the longest POST, a
 * holder that lost its claim all the same writes nothing about it, and an end-user offboarded
 * before its answer was recorded is reported as offboarded. An app of its own with a longer
 * Conductor timeout (8 s) leaves room for what happens meanwhile.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { h, type HttpClient } from "../support/harness";

const TIMEOUT_MS = 8_000;

const postsSince = (since: number) =>
  h.emulator.calls({ provider: "conductor", method: "POST", path: "/end-users", since });

async function slowApp(label: string) {
  const app = await h.startApp({ CONDUCTOR_TIMEOUT_MS: String(TIMEOUT_MS) });
  const email = h.uniqueEmail(label);
  const client = await h.signIn(email, app.origin);
  return { client, id: await h.userIdFor(email) };
}

const create = (client: HttpClient, companyName: string) => client.json("/api/end-users", { companyName });

async function postReceived(since: number) {
  await vi.waitFor(async () => expect(await postsSince(since)).toHaveLength(1), { timeout: 5_000, interval: 50 });
}

const trail = (sourceId: string) =>
  h.sql<{ action: string }>(`SELECT "action" FROM "AuditEvent" WHERE "sourceId" = $1 ORDER BY "at", "id"`, [sourceId]);

beforeEach(() => h.emulator.disarm());
afterEach(() => h.emulator.disarm());

describe("a creation whose answer is slow", () => {
  it("keeps its claim for the longest a POST can take (its answer starting just before the timeout, then its body for as long again): a retry meanwhile is told it is in progress", async () => {
    const { client, id } = await slowApp("slow-body");
    // Conductor creates it, starts answering just inside the timeout, then never finishes the body.
    await h.emulator.arm({
      provider: "conductor",
      method: "POST",
      path: "/end-users",
      delayMs: TIMEOUT_MS - 500,
      afterCommit: true,
      truncate: true,
      hang: true,
      times: 1,
    });
    const since = Date.now();
    const first = create(client, "Slow Body Co");
    await postReceived(since);
    // Past the timeout plus 5 s, but before the body's own timeout ends the call.
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS + 6_000 - (Date.now() - since)));
    const meanwhile = await create(client, "Slow Body Co");
    expect(meanwhile.status).toBe(409);
    expect((await meanwhile.json()).error.code).toBe("onboarding_in_progress");

    expect((await first).status).toBe(504);
    expect((await create(client, "Slow Body Co")).status).toBe(200);
    expect(await postsSince(since)).toHaveLength(1);
    expect((await trail(id)).map((event) => event.action)).toEqual(["ONBOARDING_OUTCOME_UNKNOWN", "END_USER_REPAIRED"]);
  }, 40_000);

  it("a holder whose claim ran out and was taken over answers its caller but writes nothing: the trail ends with the end-user found, not an unknown outcome", async () => {
    const { client, id } = await slowApp("lost-claim");
    await h.emulator.armSilentCreate();
    const since = Date.now();
    const first = create(client, "Lost Claim Co");
    await postReceived(since);
    // As if the lease had run out: the retry takes the claim over and finds the end-user in Conductor.
    await h.sql(`UPDATE "OnboardingClaim" SET "leaseExpiresAt" = now() - interval '1 second' WHERE "sourceId" = $1`, [
      id,
    ]);
    const retry = await create(client, "Lost Claim Co");
    expect(retry.status).toBe(200);

    expect((await first).status).toBe(504);
    expect((await trail(id)).map((event) => event.action)).toEqual(["END_USER_REPAIRED"]);
    expect((await h.claim(id))?.state).toBe("DONE");
    expect(await postsSince(since)).toHaveLength(1);
  }, 40_000);

  it("an end-user a refresh cached and an operator offboarded before its creation's answer was recorded: 410 end_user_deleted saying so, with the request id, not a database outage", async () => {
    const { client, id } = await slowApp("offboarded-in-flight");
    const operator = await h.operator();
    await h.emulator.arm({
      provider: "conductor",
      method: "POST",
      path: "/end-users",
      delayMs: TIMEOUT_MS - 2_000,
      afterCommit: true,
      times: 1,
    });
    const since = Date.now();
    const creating = create(client, "Short Lived Co");
    await postReceived(since);
    await h.reconcile();
    const [upstream] = await h.upstream(id);
    expect((await operator.fetch(`/api/end-users/${upstream!.id}`, { method: "DELETE" })).status).toBe(200);

    const answer = await creating;
    expect(answer.status).toBe(410);
    const { error } = (await answer.json()) as {
      error: { code: string; message: string; conductorRequestId?: string };
    };
    expect(error).toMatchObject({ code: "end_user_deleted", conductorRequestId: expect.stringMatching(/^req_/) });
    expect(error.message).toBe(
      "Short Lived Co was created with Conductor, then offboarded before we recorded it. You can set it up again.",
    );
  }, 40_000);
});
