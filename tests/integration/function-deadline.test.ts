/**
 * Upstream calls end within the function's own limit (its maxDuration, less the time kept to
 * record and answer): a stalled Conductor, Altur or Dify call inside a route is given up in time
 * for the route to answer 504 in its envelope, instead of the platform ending the function.
 * Each limit here leaves a fraction of a second, against a sandbox that answers after two
 * seconds: the same call with no limit is answered. One test runs the production build's own
 * POST /api/end-users (30 s) against a POST that never ends.
 */
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { ANSWER_RESERVE_MS, withinMaxDuration } from "@/lib/platform/function-deadline";
import { outcomeUnknown } from "@/lib/vendors/conductor/errors";
import { createConductorSdk } from "@/lib/vendors/conductor/client";
import { conductorGateway } from "@/lib/vendors/conductor/gateway";
import { alturClient } from "@/lib/vendors/altur/client";
import { route } from "@/lib/web/http/route";
import type { AppError } from "@/lib/platform/errors/app-error";
import { createEndUserOnce } from "@/lib/use-cases/onboarding/create-once";
import { h } from "../support/harness";

const { secretKey, publishableKey } = h.stack;
const TIMEOUT_MS = 5_000;
const { createEndUser } = conductorGateway(
  createConductorSdk({ baseUrl: h.emulator.conductorUrl(), apiKey: secretKey }, TIMEOUT_MS),
  { timeoutMs: TIMEOUT_MS, healthCheckTimeoutMs: TIMEOUT_MS, publishableKey },
);
// One of the sandbox Altur's seeded end-users.
const ALTUR = "a1000000-0000-4000-8000-000000000003";
const STALL_MS = 2_000;
/** A limit that leaves `ms` for upstream calls. */
const leaving = (ms: number) => (ANSWER_RESERVE_MS + ms) / 1_000;

const body = (name: string) => ({
  companyName: `${name} Co`,
  sourceId: `deadline-${name}-${Date.now()}`,
  email: `${name.toLowerCase()}@deadline.example`,
});
const stallCreation = () =>
  h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", delayMs: STALL_MS, times: 1 });

afterEach(() => h.emulator.disarm());

describe("the function's time limit", () => {
  it("lets a slow Conductor creation finish when no limit is declared (the control for the tests below)", async () => {
    await stallCreation();
    const { data } = await createEndUser(body("Unlimited"));
    expect(data.companyName).toBe("Unlimited Co");
  });

  it("gives up a Conductor creation when the function's time runs out first: 504 upstream_timeout, outcome unknown", async () => {
    await stallCreation();
    const creation = withinMaxDuration(leaving(300), () => createEndUser(body("Limited")));
    await expect(creation).rejects.toMatchObject({ status: 504, code: "upstream_timeout" });
    await expect(creation).rejects.toSatisfy((error: AppError) => outcomeUnknown(error));
  });

  it("does not send a Conductor call once the function has no time left, and says so: its outcome is known (nothing happened)", async () => {
    const since = Date.now();
    const creation = withinMaxDuration(leaving(0), () => createEndUser(body("Late")));
    await expect(creation).rejects.toMatchObject({
      status: 504,
      code: "upstream_timeout",
      message: expect.stringMatching(/ran out of time before Conductor could be asked, so nothing was sent/),
    });
    await expect(creation).rejects.toSatisfy((error: AppError) => !outcomeUnknown(error));
    expect(await h.emulator.calls({ provider: "conductor", method: "POST", since })).toEqual([]);
  });

  it("fails the claim of a creation that ran out of time before its POST, rather than leaving it unknown: the retry posts at once, and once", async () => {
    const input = body("Unsent");
    const since = Date.now();
    const late = withinMaxDuration(leaving(0), () => createEndUserOnce(input, "deadline@test"));
    await expect(late).rejects.toMatchObject({ code: "upstream_timeout", details: { notSent: true } });
    const claim = (sourceId: string) =>
      h.sql<{ state: string }>(`SELECT "state"::text AS "state" FROM "OnboardingClaim" WHERE "sourceId" = $1`, [
        sourceId,
      ]);
    expect(await claim(input.sourceId)).toEqual([{ state: "FAILED" }]);
    const trail = await h.sql<{ action: string }>(
      `SELECT "action"::text AS "action" FROM "AuditEvent" WHERE "sourceId" = $1`,
      [input.sourceId],
    );
    expect(trail).toEqual([{ action: "ONBOARDING_FAILED" }]);

    const { created } = await createEndUserOnce(input, "deadline@test");
    expect(created).toBe(true);
    const calls = await h.emulator.calls({ provider: "conductor", since });
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual(["POST /end-users"]);
  });

  it("keeps the earlier of two limits: a call inside a longer limit nested in a shorter one still ends with the shorter", async () => {
    await stallCreation();
    const creation = withinMaxDuration(leaving(300), () => withinMaxDuration(300, () => createEndUser(body("Nested"))));
    await expect(creation).rejects.toMatchObject({ status: 504, code: "upstream_timeout" });
  });

  it("gives up an Altur retrieval when the function's time runs out first, and answers it without a limit", async () => {
    const altur = alturClient({ baseUrl: h.emulator.alturUrl(), apiKey: secretKey });
    await h.emulator.arm({ provider: "altur", delayMs: STALL_MS, times: 1 });
    await expect(withinMaxDuration(leaving(300), () => altur.retrieveIdentity(ALTUR))).rejects.toMatchObject({
      status: 504,
      code: "upstream_timeout",
    });
    await h.emulator.arm({ provider: "altur", delayMs: STALL_MS, times: 1 });
    expect(await altur.retrieveIdentity(ALTUR)).toMatchObject({ provider: "altur", displayName: "Katherine Johnson" });
  });

  it(
    "answers a creation whose POST never ends within POST /api/end-users's 30 s, in the production build, even with a 60 s Conductor timeout; the retry finds it in Conductor and nothing is created twice",
    async () => {
      const app = await h.startApp({ CONDUCTOR_TIMEOUT_MS: "60000" });
      const email = h.uniqueEmail("deadline");
      const customer = await h.signIn(email, app.origin);
      await h.emulator.armSilentCreate();
      const since = Date.now();
      const cut = await customer.json("/api/end-users", { companyName: "Cut Short Co" });
      // Before Vercel would end the function: the SDK alone would wait 60 s.
      expect(Date.now() - since).toBeLessThan(30_000);
      expect(cut.status).toBe(504);
      expect((await cut.json()).error).toMatchObject({
        code: "upstream_timeout",
        message: expect.stringMatching(/Conductor did not answer in time/),
      });
      const retry = await customer.json("/api/end-users", { companyName: "Cut Short Co" });
      expect(retry.status).toBe(200);
      expect((await retry.json()).endUser).toMatchObject({
        companyName: "Cut Short Co",
        sourceId: await h.userIdFor(email),
      });
      expect(await h.emulator.calls({ provider: "conductor", method: "POST", path: "/end-users", since })).toHaveLength(
        1,
      );
    },
    // The route's 30 s less the 3 s kept to answer, with room; the SDK's own timeout would take 60 s.
    45_000,
  );

  it("bounds a route's Conductor calls by the maxDuration its spec passes on, and answers 504 in the envelope", async () => {
    const spec = {
      allow: "anyone",
      summary: "Creates one end-user",
      answers: { 201: { description: "Created" } },
    } as const;
    const handler = async () => {
      await createEndUser(body("Routed"));
      return new Response(null, { status: 201 });
    };
    const limited = route({ ...spec, maxDuration: leaving(300) }, handler);
    const unlimited = route(spec, handler);
    const request = () => new NextRequest("http://localhost/api/deadline", { method: "GET" });
    const segment = { params: Promise.resolve({}) };

    await stallCreation();
    const answer = await limited(request(), segment);
    expect(answer.status).toBe(504);
    expect(await answer.json()).toMatchObject({ error: { code: "upstream_timeout" } });

    await stallCreation();
    expect((await unlimited(request(), segment)).status).toBe(201);
  });
});
