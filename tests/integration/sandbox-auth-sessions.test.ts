import { z } from "zod";
/**
 * The sandbox Conductor's auth sessions and auth-flow page, driven by the real conductor-node SDK
 * over HTTP: sessions answer conductor-node's AuthSession (or Conductor's error shape), and the
 * page completes once, cancels, and refuses used, expired and foreign links.
 */
import Conductor from "conductor-node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startEmulator } from "@/lib/sandbox/emulator";
import { authSessionAnswerSchema } from "@/lib/vendors/conductor/auth-sessions";
import { endUserSchema, requestIdSchema } from "@/lib/vendors/conductor/schemas";
import { h } from "../support/harness";
import { sdk, apiError, conductorError, newEndUser, session, form } from "./connection/sandbox";

/** The app drops fields it does not know; the sandbox answers exactly conductor-node's. */
const exactAuthSession = z.strictObject(authSessionAnswerSchema.shape);

const { secretKey, publishableKey, emulatorOrigin } = h.stack;

beforeEach(() => h.emulator.disarm());

describe("POST /v1/auth-sessions", () => {
  it("answers conductor-node's AuthSession, whose flow opens the sandbox's auth-flow page", async () => {
    const endUser = await newEndUser();
    const before = Date.now();
    const { data, response } = await sdk()
      .authSessions.create({
        publishableKey,
        endUserId: endUser.id,
        linkExpiryMins: 1440,
        redirectUrl: "http://localhost:3000/onboarding/connected",
      })
      .withResponse();
    expect(response.status).toBe(200);
    requestIdSchema.parse(response.headers.get("conductor-request-id"));
    const answer = exactAuthSession.parse(data);
    expect(answer).toMatchObject({
      objectType: "auth_session",
      endUserId: endUser.id,
      redirectUrl: "http://localhost:3000/onboarding/connected",
    });
    expect(answer.id).toMatch(/^auth_sess_[a-z0-9]+$/);
    const lifetime = Date.parse(answer.expiresAt) - Date.parse(answer.createdAt);
    expect(lifetime).toBe(1440 * 60_000);
    expect(Date.parse(answer.createdAt)).toBeGreaterThanOrEqual(before - 1_000);
    const url = new URL(answer.authFlowUrl);
    expect(url.origin).toBe(emulatorOrigin);
    expect(url.pathname).toBe(`/conductor/connect/qbd/${answer.clientSecret}`);
    expect(url.searchParams.get("key")).toBe(publishableKey);
  });

  it("lives Conductor's default 30 minutes and has no redirectUrl when none is given", async () => {
    const answer = exactAuthSession.parse(await session((await newEndUser()).id));
    expect(Date.parse(answer.expiresAt) - Date.parse(answer.createdAt)).toBe(30 * 60_000);
    expect(answer.redirectUrl).toBeNull();
  });

  it("answers a wrong publishable key with 401 AUTHENTICATION_ERROR", async () => {
    const endUser = await newEndUser();
    const error = await apiError(
      sdk().authSessions.create({ publishableKey: "pk_conductor_wrong", endUserId: endUser.id }),
    );
    expect(error).toBeInstanceOf(Conductor.AuthenticationError);
    expect(conductorError(error)).toMatchObject({ type: "AUTHENTICATION_ERROR", httpStatusCode: 401 });
  });

  it("answers an unknown end-user with 404 RESOURCE_MISSING", async () => {
    const error = await apiError(session("end_usr_doesnotexist"));
    expect(error).toBeInstanceOf(Conductor.NotFoundError);
    expect(conductorError(error)).toMatchObject({ code: "RESOURCE_MISSING", httpStatusCode: 404 });
  });

  it.each([14, 10_081, 60.5])("answers linkExpiryMins %s with 400 naming it", async (linkExpiryMins) => {
    const error = await apiError(session((await newEndUser()).id, { linkExpiryMins }));
    expect(error).toBeInstanceOf(Conductor.BadRequestError);
    expect(conductorError(error)).toMatchObject({ type: "INVALID_REQUEST_ERROR", code: "INVALID_PARAMETER" });
    expect(conductorError(error).message).toContain("linkExpiryMins");
  });

  it("answers an unknown field with 400 naming it", async () => {
    const endUser = await newEndUser();
    const error = await apiError(
      sdk().authSessions.create({ publishableKey, endUserId: endUser.id, theme: "dark" } as never),
    );
    expect(conductorError(error)).toMatchObject({ code: "UNKNOWN_PARAMETER" });
    expect(conductorError(error).message).toContain("theme");
  });
});

describe("the sandbox auth-flow page", () => {
  it("says it simulates Conductor's setup, and Complete connection connects once, then sends the browser back", async () => {
    const endUser = await newEndUser();
    const { authFlowUrl, expiresAt } = await session(endUser.id, {
      redirectUrl: "http://localhost:3000/onboarding/connected",
    });
    const page = await fetch(authFlowUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    // To the second, as the app's pages and emails write it: a time cut to the minute reads as another.
    expect(html).toContain(`<dt>Link expires</dt><dd>${expiresAt.slice(0, 19).replace("T", " ")} UTC</dd>`);
    expect(html).toContain("simulates Conductor's QuickBooks Desktop setup");
    expect(html).toContain(">Complete connection</button>");
    expect(html).toContain(">Cancel</button>");
    expect(html).toContain("Flow &amp; Co &lt;Ltd&gt;");
    expect(html).not.toContain("<Ltd>");
    expect(html).toContain("Windows computer that runs QuickBooks Desktop");
    // The closed computer's button says what the app then shows: the statuses of a check, not a setup under way.
    expect(html).toContain(
      "the app says In progress until Conductor's health check\nruns, and Needs attention once it has.",
    );

    const before = Date.now();
    const completed = await fetch(authFlowUrl, form("complete"));
    expect(completed.status).toBe(303);
    expect(completed.headers.get("location")).toBe("http://localhost:3000/onboarding/connected");

    const connected = endUserSchema.strict().parse(await sdk().endUsers.retrieve(endUser.id));
    expect(connected.integrationConnections).toHaveLength(1);
    const [connection] = connected.integrationConnections;
    expect(connection).toMatchObject({ objectType: "integration_connection", integrationSlug: "quickbooks_desktop" });
    expect(connection!.id).toMatch(/^int_conn_[a-z0-9]+$/);
    expect(Date.parse(connection!.lastRequestAt!)).toBeGreaterThanOrEqual(before - 1_000);
    expect(connection!.lastSuccessfulRequestAt).toBe(connection!.lastRequestAt);

    for (const again of [await fetch(authFlowUrl), await fetch(authFlowUrl, form("complete"))]) {
      expect(again.status).toBe(410);
      expect(await again.text()).toContain("This setup link was already used");
    }
    expect((await sdk().endUsers.retrieve(endUser.id)).integrationConnections).toHaveLength(1);
  });

  it("Complete with QuickBooks Desktop closed creates a connection no request has reached, and QuickBooks can be opened later from the used link", async () => {
    const endUser = await newEndUser();
    const { authFlowUrl } = await session(endUser.id, { redirectUrl: "http://localhost:3000/onboarding/connected" });
    expect(await (await fetch(authFlowUrl)).text()).toContain(">Complete with QuickBooks Desktop closed</button>");

    const completed = await fetch(authFlowUrl, form("complete_closed"));
    expect(completed.status).toBe(303);
    const [connection] = endUserSchema.strict().parse(await sdk().endUsers.retrieve(endUser.id)).integrationConnections;
    expect(connection).toMatchObject({
      integrationSlug: "quickbooks_desktop",
      lastRequestAt: null,
      lastSuccessfulRequestAt: null,
    });
    const refused = await apiError(sdk().qbd.healthCheck({ conductorEndUserId: endUser.id }));
    expect(refused.status).toBe(502);
    expect(conductorError(refused)).toMatchObject({ code: "QBD_CONNECTION_ERROR" });

    const used = await fetch(authFlowUrl);
    expect(used.status).toBe(410);
    expect(await used.text()).toContain(">Open QuickBooks Desktop</button>");
    expect((await fetch(authFlowUrl, form("complete"))).status).toBe(410);
  });

  it("without a redirectUrl says the tab can be closed", async () => {
    const { authFlowUrl } = await session((await newEndUser()).id);
    const completed = await fetch(authFlowUrl, form("complete"));
    expect(completed.status).toBe(200);
    expect(await completed.text()).toContain("You can close this tab.");
  });

  it("Cancel connects nothing and leaves the link usable", async () => {
    const endUser = await newEndUser();
    const { authFlowUrl } = await session(endUser.id, { redirectUrl: "http://localhost:3000/onboarding/connected" });
    const cancelled = await fetch(authFlowUrl, form("cancel"));
    expect(cancelled.status).toBe(200);
    const html = await cancelled.text();
    expect(html).toContain("Setup cancelled");
    expect(html).toContain("Nothing was connected.");
    expect(html).toContain('href="http://localhost:3000/onboarding/connected"');
    expect((await sdk().endUsers.retrieve(endUser.id)).integrationConnections).toEqual([]);
    expect((await fetch(authFlowUrl)).status).toBe(200);
  });

  it("answers HEAD as it answers GET, and refuses a form over 4 KB with 413, connecting nothing", async () => {
    const endUser = await newEndUser();
    const { authFlowUrl } = await session(endUser.id);
    const head = await fetch(authFlowUrl, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toContain("text/html");

    const padded = `decision=complete&padding=${"x".repeat(4096)}`;
    const streamed = new Blob([padded]).stream();
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    for (const init of [{ body: padded }, { body: streamed, duplex: "half" }]) {
      const refused = await fetch(authFlowUrl, { method: "POST", headers, ...init } as RequestInit);
      expect(refused.status).toBe(413);
      expect(await refused.text()).toContain("Too much was sent");
    }
    expect((await sdk().endUsers.retrieve(endUser.id)).integrationConnections).toEqual([]);
    expect((await fetch(authFlowUrl, form("complete"))).status).toBe(200);
  });

  it("refuses a link with another publishable key or an unknown secret", async () => {
    const { authFlowUrl } = await session((await newEndUser()).id);
    const wrongKey = new URL(authFlowUrl);
    wrongKey.searchParams.set("key", "pk_conductor_other");
    const unknown = new URL(authFlowUrl);
    unknown.pathname = "/conductor/connect/qbd/auth_sess_client_secret_unknown";
    for (const url of [wrongKey, unknown]) {
      const response = await fetch(url);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("This setup link is not valid");
    }
  });

  describe("on a clock past the session's expiry", () => {
    let own: Awaited<ReturnType<typeof startEmulator>>;
    beforeAll(async () => {
      // An emulator in this process, so that its clock can be moved past the expiry.
      own = await startEmulator({ apiKey: secretKey, publishableKey, port: 0, faults: false });
    });
    afterAll(() => own.close());
    afterEach(() => vi.useRealTimers());

    it("says the link has expired and connects nothing", async () => {
      const client = sdk(own.urls.conductor);
      const endUser = await newEndUser(client);
      const { authFlowUrl, expiresAt } = await client.authSessions.create({
        publishableKey,
        endUserId: endUser.id,
        linkExpiryMins: 15,
      });
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.parse(expiresAt) + 1_000);
      for (const response of [await fetch(authFlowUrl), await fetch(authFlowUrl, form("complete"))]) {
        expect(response.status).toBe(410);
        expect(await response.text()).toContain("This setup link has expired");
      }
      vi.useRealTimers();
      expect((await client.endUsers.retrieve(endUser.id)).integrationConnections).toEqual([]);
    });
  });
});
