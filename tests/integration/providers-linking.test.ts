/**
 * Operators link, refresh and unlink a customer's Altur and Dify end-users, over the API and the
 * detail page's forms, with every failure explained and malformed ids rejected before any call.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { alturClient } from "@/lib/vendors/altur/client";
import { difyClient } from "@/lib/vendors/dify/client";
import { h, type HttpClient } from "../support/harness";

const { secretKey } = h.stack;
const ALTUR = "a1000000-0000-4000-8000-000000000001";
const DIFY = "d1000000-0000-4000-8000-000000000002";
let operator: HttpClient;

async function onboardedEndUser() {
  return (await h.onboardedCustomer("linked", "Linked Ltd")).endUser;
}

const put = (endUserId: string, provider: string, externalId: unknown) =>
  operator.fetch(`/api/end-users/${endUserId}/providers/${provider}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ externalId }),
  });

beforeAll(async () => {
  operator = await h.operator();
});

/** One of the end-user page's forms, posted as the browser posts it: the answer's body. */
const pageForm = (endUserId: string, name: string, fields: Record<string, string>) =>
  h.actions
    .call(
      operator,
      `/end-users/${endUserId}`,
      h.actions.id("app/end-users/[id]/actions.ts", name),
      { endUserId, ...fields },
      { previousState: h.actions.idleState },
    )
    .then((answer) => answer.body);

/** The sandbox's Altur holds three end-users, which tests before may have left linked elsewhere. */
const freeAltur = (...ids: string[]) =>
  h.sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'altur' AND "externalId" = ANY($1)`, [ids]);
afterEach(() => h.emulator.disarm());

describe("linking a customer's Altur and Dify end-users", () => {
  it("links both, shows them to lookups by provider id in any case, refreshes and unlinks, auditing each step", async () => {
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

    const lookup = await h.service(`/api/end-users/lookup?provider=dify&id=${DIFY}`);
    expect(await lookup.json()).toMatchObject({
      id: endUser.id,
      sourceId: endUser.sourceId,
      linkedProviders: { altur: ALTUR, dify: DIFY },
    });

    const page = await (await operator.fetch(`/end-users/${endUser.id}`)).text();
    expect(page).toContain("Ada Lovelace");
    expect(page).toContain("customer-002");
    expect(page).toContain("differs from our sourceId");

    // A UUID is one id in any case: the upper-case form finds, and refreshes, the same link.
    const upper = await h.service(`/api/end-users/lookup?provider=altur&id=${ALTUR.toUpperCase()}`);
    expect(await upper.json()).toMatchObject({ id: endUser.id, linkedProviders: { altur: ALTUR } });
    const again = await put(endUser.id, "altur", ALTUR.toUpperCase());
    expect(again.status).toBe(200);
    expect((await again.json()).link.externalId).toBe(ALTUR);
    const removed = await operator.fetch(`/api/end-users/${endUser.id}/providers/altur`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect((await operator.fetch(`/api/end-users/${endUser.id}/providers/altur`)).status).toBe(404);
    const audit = await h.sql<{ action: string; sourceId: string | null }>(
      `SELECT action, "sourceId" FROM "AuditEvent" WHERE "endUserId" = $1 AND action::text LIKE 'PROVIDER%' ORDER BY at`,
      [endUser.id],
    );
    // Each names the customer too, so the trail (and its CSV) can be read by sourceId alone.
    expect(audit).toEqual(
      ["PROVIDER_LINKED", "PROVIDER_LINKED", "PROVIDER_REFRESHED", "PROVIDER_UNLINKED"].map((action) => ({
        action,
        sourceId: endUser.sourceId,
      })),
    );
    // The trail's page says which provider's end-user each event is about.
    const trail = await (await operator.fetch(`/audit?endUserId=${endUser.id}`)).text();
    expect(trail).toContain(`Altur ${ALTUR}`);
    expect(trail).toContain(`Dify ${DIFY}`);
  });

  it.each([
    ["altur", "not-a-uuid"],
    ["altur", "d1000000-0000-1000-8000-000000000002"],
    ["dify", "12345"],
    ["dify", ""],
  ])("rejects a malformed %s id (%j) with 400 and no upstream call", async (provider, id) => {
    const endUser = await onboardedEndUser();
    await h.emulator.forgetCalls();
    const response = await put(endUser.id, provider, id);
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields).toHaveProperty("externalId");
    expect(await h.emulator.calls({ provider: provider as "altur" | "dify" })).toEqual([]);
    expect(await h.sql(`SELECT 1 FROM "ProviderEndUser" WHERE "endUserId" = $1`, [endUser.id])).toEqual([]);
  });

  it("the list's search finds an end-user by its linked Altur or Dify id, in any case, counted; not once unlinked, nor by an id linked to nobody", async () => {
    // The first test left DIFY linked to its end-user.
    await h.sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'dify' AND "externalId" = $1`, [DIFY]);
    const endUser = await onboardedEndUser();
    expect((await put(endUser.id, "dify", DIFY)).status).toBe(200);
    const found = async (q: string) => {
      const answer = await operator.fetch(`/api/end-users?q=${encodeURIComponent(q)}`);
      const { data, counts } = (await answer.json()) as { data: { id: string }[]; counts: Record<string, number> };
      return { ids: data.map((row) => row.id), counted: Object.values(counts).reduce((a, b) => a + b, 0) };
    };
    expect(await found(` ${DIFY.toUpperCase()} `)).toEqual({ ids: [endUser.id], counted: 1 });
    // The page lists it, as any other match.
    const page = await (await operator.fetch(`/end-users?q=${DIFY}`)).text();
    expect(page).toContain(`href="/end-users/${endUser.id}"`);
    expect(page).toContain('data-testid="list-summary"');
    expect(await found("d1000000-0000-4000-8000-00000000ffff")).toEqual({ ids: [], counted: 0 });
    expect((await operator.fetch(`/api/end-users/${endUser.id}/providers/dify`, { method: "DELETE" })).status).toBe(
      204,
    );
    expect(await found(DIFY)).toEqual({ ids: [], counted: 0 });
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

  it("answers Altur's 400 to an id we validated as Altur refusing our request (502), with Altur's own message", async () => {
    const endUser = await onboardedEndUser();
    await h.emulator.arm({ provider: "altur", status: 400, times: 1 });
    const response = await put(endUser.id, "altur", ALTUR);
    expect(response.status).toBe(502);
    expect((await response.json()).error).toMatchObject({
      code: "upstream_refused",
      message: "Altur refused our request: Injected failure (400).",
    });
  });

  it("refuses to link one provider end-user to two customers, naming the one that holds it, without asking the provider", async () => {
    const [first, second] = [await onboardedEndUser(), await onboardedEndUser()];
    expect((await put(first.id, "altur", "a1000000-0000-4000-8000-000000000003")).status).toBe(200);
    await h.emulator.forgetCalls();
    const response = await put(second.id, "altur", "A1000000-0000-4000-8000-000000000003");
    expect(response.status).toBe(409);
    expect((await response.json()).error).toEqual({
      code: "already_linked",
      message: `That Altur end-user is already linked to another customer: ${first.companyName} (end-user ${first.id}).`,
    });
    // Refused on what the cache knows, before asking Altur.
    expect(await h.emulator.calls({ provider: "altur" })).toEqual([]);
  });

  it("refuses a link another operator made while the provider was asked, naming the customer that holds it", async () => {
    const { endUser: first } = await h.onboardedCustomer("holder", "First Holder Ltd");
    const { endUser: second } = await h.onboardedCustomer("late", "Late Linker Ltd");
    const id = "a1000000-0000-4000-8000-000000000002";
    // The second customer's call waits in Altur; the first customer's link lands meanwhile.
    await h.emulator.arm({ provider: "altur", delayMs: 1_500, times: 1 });
    const since = Date.now();
    const late = put(second.id, "altur", id);
    try {
      // A call is logged when it arrives, before its delay.
      await expect.poll(async () => (await h.emulator.calls({ provider: "altur", since })).length).toBe(1);
      expect((await put(first.id, "altur", id)).status).toBe(200);
      const response = await late;
      expect(response.status).toBe(409);
      expect((await response.json()).error).toEqual({
        code: "already_linked",
        message: `That Altur end-user is already linked to another customer: ${first.companyName} (end-user ${first.id}).`,
      });
      const links = await h.sql<{ endUserId: string }>(
        `SELECT "endUserId" FROM "ProviderEndUser" WHERE "externalId" = $1`,
        [id],
      );
      expect(links).toEqual([{ endUserId: first.id }]);
    } finally {
      // Other test files link the sandbox's few Altur end-users too: this one is free again.
      await late.catch(() => {});
      await operator.fetch(`/api/end-users/${first.id}/providers/altur`, { method: "DELETE" });
    }
  });

  it("answers 404 end_user_not_found for an end-user that is not cached, to every method, before calling the provider", async () => {
    await h.emulator.forgetCalls();
    expect((await put("end_usr_nobody", "altur", ALTUR)).status).toBe(404);
    expect(await h.emulator.calls({ provider: "altur" })).toEqual([]);
    for (const method of ["GET", "PUT", "DELETE"]) {
      const response = await operator.fetch("/api/end-users/end_usr_nobody/providers/altur", {
        method,
        headers: { "content-type": "application/json" },
        body: method === "PUT" ? JSON.stringify({ externalId: ALTUR }) : undefined,
      });
      expect([method, (await response.json()).error.code]).toEqual([method, "end_user_not_found"]);
    }
  });

  it("links, refreshes and unlinks through the detail page's forms", async () => {
    const endUser = await onboardedEndUser();
    const run = (name: string, fields: Record<string, string>) =>
      pageForm(endUser.id, name, fields).then(h.actions.formState);
    expect(await run("linkProviderAction", { provider: "dify", externalId: "bad" })).toMatchObject({
      status: "error",
      fields: { externalId: [expect.any(String)] },
    });
    const free = "d1000000-0000-4000-8000-000000000001";
    expect(await run("linkProviderAction", { provider: "dify", externalId: free })).toEqual({
      status: "success",
      message: `Linked Dify end-user ${free}.`,
    });
    expect(await run("refreshProviderAction", { provider: "dify", externalId: free })).toEqual({
      status: "success",
      message: "Refreshed from Dify.",
    });
    expect(await run("unlinkProviderAction", { provider: "dify", externalId: free })).toEqual({
      status: "success",
      message: "Unlinked the Dify end-user.",
    });
    // Already gone (another operator's unlink, or this one's twice): what stands is said.
    expect(await run("unlinkProviderAction", { provider: "dify", externalId: free })).toMatchObject({
      status: "error",
      code: "link_changed",
      message: "The link changed meanwhile: no Dify end-user is linked now. Nothing was unlinked.",
    });
  });

  it("the page's forms never undo another operator's change: Link where one was linked since, Refresh and Unlink of an id replaced or removed since, change nothing, say what is linked now and show it", async () => {
    const endUser = await onboardedEndUser();
    let answer = "";
    const run = (name: string, fields: Record<string, string>) =>
      pageForm(endUser.id, name, { provider: "altur", ...fields }).then((body) => h.actions.formState((answer = body)));
    const shown = "a1000000-0000-4000-8000-000000000002";
    const since = "a1000000-0000-4000-8000-000000000003";
    await freeAltur(shown, since);
    const trail = () =>
      h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action::text LIKE 'PROVIDER%'`, [endUser.id]);
    const linkedNow = async () =>
      (await (await operator.fetch(`/api/end-users/${endUser.id}/providers/altur`)).json()).link;

    // The page showed the Link form (nothing linked); another operator linked meanwhile. Said
    // before Altur is asked: its failing does not hide the change.
    expect((await put(endUser.id, "altur", since)).status).toBe(200);
    const events = await trail();
    await h.emulator.arm({ provider: "altur", status: 500, times: 3 });
    expect(await run("linkProviderAction", { externalId: shown })).toMatchObject({
      status: "error",
      code: "link_changed",
      message: `The link changed meanwhile: Altur end-user ${since} is linked to this customer now. Nothing was linked.`,
    });
    // The page comes back with the answer, its card showing the link that stands.
    expect(answer).toContain("Katherine Johnson");
    expect((await linkedNow()).externalId).toBe(since);
    await h.emulator.disarm();
    // The same id as the other operator's: nothing to undo, it is linked.
    expect(await run("linkProviderAction", { externalId: since })).toMatchObject({ status: "success" });

    // The page confirmed the unlink of `shown`; another operator re-linked to `since` meanwhile.
    expect(await run("unlinkProviderAction", { externalId: shown })).toMatchObject({
      status: "error",
      code: "link_changed",
      message: `The link changed meanwhile: Altur end-user ${since} is linked to this customer now. Nothing was unlinked.`,
    });
    expect((await linkedNow()).externalId).toBe(since);
    expect(await run("refreshProviderAction", { externalId: shown })).toMatchObject({
      status: "error",
      code: "link_changed",
      message: `The link changed meanwhile: Altur end-user ${since} is linked to this customer now. Nothing was refreshed.`,
    });
    expect(await trail()).toBe(events + 1);

    // Another operator unlinked it meanwhile: the page's Unlink and Refresh say so, and the card
    // comes back with the Link form.
    expect((await operator.fetch(`/api/end-users/${endUser.id}/providers/altur`, { method: "DELETE" })).status).toBe(
      204,
    );
    for (const action of ["refreshProviderAction", "unlinkProviderAction"]) {
      expect(await run(action, { externalId: since })).toMatchObject({
        status: "error",
        code: "link_changed",
        message: expect.stringMatching(/^The link changed meanwhile: no Altur end-user is linked now\. Nothing was/),
      });
      // The card, rendered with the answer: nothing linked, so the Link form.
      expect(answer).toContain('"provider":"altur","name":"Altur","externalId":null');
    }
  });

  it("the page's Link form tells an id the provider has no end-user with beside the field, the id kept there to correct", async () => {
    const endUser = await onboardedEndUser();
    const unknown = "a1000000-0000-4000-8000-00000000ffff";
    const answer = await pageForm(endUser.id, "linkProviderAction", { provider: "altur", externalId: unknown });
    expect(h.actions.formState(answer)).toMatchObject({
      status: "error",
      code: "provider_end_user_not_found",
      fields: { externalId: [expect.stringMatching(/^matches no Altur end-user \(Altur answered “.+”\)$/)] },
      values: { externalId: unknown },
    });
    expect(await h.sql(`SELECT 1 FROM "ProviderEndUser" WHERE "endUserId" = $1`, [endUser.id])).toEqual([]);
  });

  it("a Refresh from the page that finds the end-user gone at the provider shows the page with its not-found notice", async () => {
    const endUser = await onboardedEndUser();
    const gone = "d1000000-0000-4000-8000-000000000001";
    await h.sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'dify' AND "externalId" = $1`, [gone]);
    expect((await put(endUser.id, "dify", gone)).status).toBe(200);
    await h.emulator.arm({ provider: "dify", status: 404, times: 1 });
    const answer = await pageForm(endUser.id, "refreshProviderAction", { provider: "dify", externalId: gone });
    expect(h.actions.formState(answer)).toMatchObject({ status: "error", code: "provider_end_user_not_found" });
    expect(answer).toContain("that it has no end-user with this id");
    expect((await operator.fetch(`/api/end-users/${endUser.id}/providers/dify`, { method: "DELETE" })).status).toBe(
      204,
    );
  });

  it("DELETE with ?externalId= unlinks only that id: another linked since → 409 link_changed naming it, the link stays", async () => {
    const endUser = await onboardedEndUser();
    const path = `/api/end-users/${endUser.id}/providers/altur`;
    const [first, second] = ["a1000000-0000-4000-8000-000000000002", "a1000000-0000-4000-8000-000000000003"];
    await freeAltur(first, second);
    expect((await put(endUser.id, "altur", first)).status).toBe(200);
    expect((await put(endUser.id, "altur", second)).status).toBe(200);
    const stale = await operator.fetch(`${path}?externalId=${first}`, { method: "DELETE" });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error).toEqual({
      code: "link_changed",
      message: `The link changed meanwhile: Altur end-user ${second} is linked to this customer now. Nothing was unlinked.`,
    });
    expect((await (await operator.fetch(path)).json()).link.externalId).toBe(second);
    const malformed = await operator.fetch(`${path}?externalId=nope`, { method: "DELETE" });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.fields).toHaveProperty("externalId");
    const twice = await operator.fetch(`${path}?externalId=${second}&externalId=${first}`, { method: "DELETE" });
    expect(twice.status).toBe(400);
    expect((await twice.json()).error.fields).toEqual({ externalId: ["must be given once"] });
    expect((await operator.fetch(`${path}?externalId=${second.toUpperCase()}`, { method: "DELETE" })).status).toBe(204);
    expect((await operator.fetch(path)).status).toBe(404);
  });

  it("a linked end-user the provider no longer has is flagged on the link, its page and the trail (once), and cleared when the provider has it again", async () => {
    const endUser = await onboardedEndUser();
    const path = `/api/end-users/${endUser.id}/providers/dify`;
    const gone = "d1000000-0000-4000-8000-000000000001";
    await h.sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'dify' AND "externalId" = $1`, [gone]);
    expect((await put(endUser.id, "dify", gone)).status).toBe(200);
    const missing = () =>
      h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'PROVIDER_MISSING'`, [endUser.id]);

    for (let refresh = 0; refresh < 2; refresh++) {
      await h.emulator.arm({ provider: "dify", status: 404, times: 1 });
      const refused = await put(endUser.id, "dify", gone);
      expect(refused.status).toBe(404);
      expect((await refused.json()).error.code).toBe("provider_end_user_not_found");
    }
    const { link } = await (await operator.fetch(path)).json();
    expect(link).toMatchObject({ externalId: gone, missingSince: expect.any(String) });
    expect(await missing()).toBe(1);
    const page = (await (await operator.fetch(`/end-users/${endUser.id}`)).text()).replaceAll("<!-- -->", "");
    expect(page).toContain("that it has no end-user with this id");
    const trail = await (await operator.fetch(`/audit?endUserId=${endUser.id}`)).text();
    expect(trail).toContain("Linked provider end-user no longer found at the provider");

    // A new id that the provider does not have flags nothing: it was never linked.
    const other = (await h.onboardedCustomer("linked-other", "Other Linked Ltd")).endUser;
    await h.emulator.arm({ provider: "dify", status: 404, times: 1 });
    expect((await put(other.id, "dify", "d1000000-0000-4000-8000-000000000003")).status).toBe(404);
    expect(
      await h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'PROVIDER_MISSING'`, [other.id]),
    ).toBe(0);

    expect((await put(endUser.id, "dify", gone)).status).toBe(200);
    expect((await (await operator.fetch(path)).json()).link.missingSince).toBeNull();
    expect((await operator.fetch(path, { method: "DELETE" })).status).toBe(204);
  });

  it("a refresh records in the trail what the provider now answers differently, from and to, and nothing when nothing changed", async () => {
    const endUser = await onboardedEndUser();
    await freeAltur(ALTUR);
    expect((await put(endUser.id, "altur", ALTUR)).status).toBe(200);
    // What the cache held before Altur's record changed.
    await h.sql(
      `UPDATE "ProviderEndUser" SET "displayName" = 'Ada King', note = NULL WHERE provider = 'altur' AND "externalId" = $1`,
      [ALTUR],
    );
    expect((await put(endUser.id, "altur", ALTUR)).status).toBe(200);
    expect((await put(endUser.id, "altur", ALTUR)).status).toBe(200);
    const refreshes = await h.sql<{ data: Record<string, unknown> }>(
      `SELECT data FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'PROVIDER_REFRESHED' ORDER BY id`,
      [endUser.id],
    );
    expect(refreshes.map((event) => event.data.changed)).toEqual([
      {
        displayName: { from: "Ada King", to: "Ada Lovelace" },
        note: { from: null, to: "Prefers email follow-ups." },
      },
      undefined,
    ]);
    const trail = (await (await operator.fetch(`/audit?endUserId=${endUser.id}`)).text()).replaceAll("<!-- -->", "");
    expect(trail).toContain(`Altur ${ALTUR}: name: Ada King → Ada Lovelace; note: none → Prefers email follow-ups.`);
    await freeAltur(ALTUR);
  });

  it("PUT takes an id pasted with spaces around it, as the page's form does", async () => {
    const endUser = await onboardedEndUser();
    await freeAltur(ALTUR);
    const response = await put(endUser.id, "altur", `  ${ALTUR} `);
    expect(response.status).toBe(200);
    expect((await response.json()).link.externalId).toBe(ALTUR);
    await freeAltur(ALTUR);
  });
});

describe("provider failures through the app's clients", () => {
  it.each(["altur", "dify"] as const)(
    "a wrong %s key → 502 'rejected our credentials', never the key",
    async (provider) => {
      const wrongKey = `wrong-${provider}-key-${Date.now()}`;
      const client =
        provider === "altur"
          ? alturClient({ baseUrl: h.emulator.alturUrl(), apiKey: wrongKey })
          : difyClient({ baseUrl: h.emulator.difyUrl(), apiKey: wrongKey });
      const retrieval = client.retrieveIdentity(provider === "altur" ? ALTUR : DIFY);
      await expect(retrieval).rejects.toBeInstanceOf(AppError);
      await expect(retrieval).rejects.toMatchObject({
        status: 502,
        code: "upstream_auth_failed",
        message: expect.stringMatching(/rejected our credentials/),
      });
      await expect(retrieval).rejects.toSatisfy(
        (error: AppError) => !JSON.stringify(error.toBody()).includes(wrongKey),
      );
    },
  );

  it("links nothing when Altur answers after the end-user was offboarded: 410, and the Altur id stays free", async () => {
    const [endUser, other] = [await onboardedEndUser(), await onboardedEndUser()];
    await h.emulator.arm({ provider: "altur", method: "GET", delayMs: 1_500, times: 1 });
    const since = Date.now();
    const linking = put(endUser.id, "altur", ALTUR);
    while ((await h.emulator.calls({ provider: "altur", since })).length === 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await operator.fetch(`/api/end-users/${endUser.id}`, { method: "DELETE" })).status).toBe(200);

    const linked = await linking;
    expect(linked.status).toBe(410);
    expect((await linked.json()).error.code).toBe("end_user_deleted");
    expect(await h.sql(`SELECT 1 FROM "ProviderEndUser" WHERE "externalId" = $1`, [ALTUR])).toEqual([]);
    expect((await h.service(`/api/end-users/lookup?provider=altur&id=${ALTUR}`)).status).toBe(404);
    expect((await put(other.id, "altur", ALTUR)).status).toBe(200);
    await operator.fetch(`/api/end-users/${other.id}/providers/altur`, { method: "DELETE" });
  });

  it("records which id an unlink removed", async () => {
    const endUser = await onboardedEndUser();
    expect((await put(endUser.id, "altur", ALTUR)).status).toBe(200);
    const unlinked = await operator.fetch(`/api/end-users/${endUser.id}/providers/altur`, { method: "DELETE" });
    expect(unlinked.status).toBe(204);
    const [event] = await h.sql<{ data: unknown }>(
      `SELECT data FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'PROVIDER_UNLINKED'`,
      [endUser.id],
    );
    expect(event?.data).toEqual({ provider: "altur", externalId: ALTUR });
  });

  // The sandbox knows three Altur end-users, which other test files link too: these drive the data
  // layer's save, where the race is, with identities as a provider would have answered them.
  const identity = (externalId: string) => ({
    provider: "altur" as const,
    externalId,
    displayName: null,
    externalUserId: null,
    channel: null,
    note: null,
    anonymous: null,
    createdAt: null,
  });

  it("re-linked to ten different ids at once: every save succeeds, and each replacement is audited once, naming the one it replaced", async () => {
    const { saveLinkedAccount } = await import("@/lib/data/linked-accounts");
    const endUser = await onboardedEndUser();
    const ids = Array.from({ length: 10 }, () => randomUUID());
    const outcomes = await Promise.all(
      ids.map((id) => saveLinkedAccount(endUser.id, identity(id), "race@example.com")),
    );
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(ids.map(() => "linked"));
    const events = await h.sql<{ data: { externalId: string; replaced?: string } }>(
      `SELECT data FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'PROVIDER_LINKED' ORDER BY "at", "id"`,
      [endUser.id],
    );
    expect(events).toHaveLength(10);
    // A chain: each link replaced the one saved just before it, and the last one stands.
    expect(events[0]!.data.replaced).toBeUndefined();
    for (let i = 1; i < events.length; i++) expect(events[i]!.data.replaced).toBe(events[i - 1]!.data.externalId);
    const [standing] = await h.sql<{ externalId: string }>(
      `SELECT "externalId" FROM "ProviderEndUser" WHERE "endUserId" = $1 AND provider = 'altur'`,
      [endUser.id],
    );
    expect(standing!.externalId).toBe(events[9]!.data.externalId);
  });

  it("one id linked to five customers at once: one wins, and each of the others is told which customer holds it", async () => {
    const { saveLinkedAccount } = await import("@/lib/data/linked-accounts");
    const endUsers = await Promise.all(
      [1, 2, 3, 4, 5].map(async (i) => (await h.onboardedCustomer(`contended-${i}`, `Contender ${i} Ltd`)).endUser),
    );
    const id = randomUUID();
    const outcomes = await Promise.allSettled(
      endUsers.map((endUser) => saveLinkedAccount(endUser.id, identity(id), "race@example.com")),
    );
    const won = outcomes.flatMap((outcome, i) => (outcome.status === "fulfilled" ? [endUsers[i]!] : []));
    expect(won).toHaveLength(1);
    const lost = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as AppError] : []));
    expect(lost.map(({ code, message }) => ({ code, message }))).toEqual(
      Array(4).fill({
        code: "already_linked",
        message: `That Altur end-user is already linked to another customer: ${won[0]!.companyName} (end-user ${won[0]!.id}).`,
      }),
    );
  });

  it("the same id saved ten times at once is linked once and refreshed nine times", async () => {
    const { saveLinkedAccount } = await import("@/lib/data/linked-accounts");
    const endUser = await onboardedEndUser();
    const id = randomUUID();
    await Promise.all(
      Array.from({ length: 10 }, () => saveLinkedAccount(endUser.id, identity(id), "race@example.com")),
    );
    const events = await h.sql<{ action: string }>(
      `SELECT action FROM "AuditEvent" WHERE "endUserId" = $1 AND action::text LIKE 'PROVIDER_%'`,
      [endUser.id],
    );
    expect(events.filter((event) => event.action === "PROVIDER_LINKED")).toHaveLength(1);
    expect(events.filter((event) => event.action === "PROVIDER_REFRESHED")).toHaveLength(9);
  });

  it("a refresh whose link was removed while the provider was asked links nothing again: the unlink stands", async () => {
    const { saveLinkedAccount, deleteLinkedAccount } = await import("@/lib/data/linked-accounts");
    const endUser = await onboardedEndUser();
    const id = randomUUID();
    expect((await saveLinkedAccount(endUser.id, identity(id), "op@example.com")).kind).toBe("linked");
    // The provider's answer for the refresh arrives after the unlink committed.
    expect(await deleteLinkedAccount(endUser.id, "altur", "op@example.com")).toEqual({ removed: true });
    const refreshed = await saveLinkedAccount(endUser.id, identity(id), "op@example.com", { refreshOnly: true });
    expect(refreshed).toEqual({ kind: "not_linked" });
    expect(
      await h.sql(`SELECT 1 FROM "ProviderEndUser" WHERE "endUserId" = $1 AND provider = 'altur'`, [endUser.id]),
    ).toEqual([]);
    const actions = await h.sql<{ action: string }>(
      `SELECT action FROM "AuditEvent" WHERE "endUserId" = $1 AND action::text LIKE 'PROVIDER_%' ORDER BY "at", "id"`,
      [endUser.id],
    );
    expect(actions.map((event) => event.action)).toEqual(["PROVIDER_LINKED", "PROVIDER_UNLINKED"]);
  });

  it("an unlink waits for the end-user's row, held by a link replacing the same link, instead of removing the row that link is about to delete", async () => {
    const { saveLinkedAccount, deleteLinkedAccount } = await import("@/lib/data/linked-accounts");
    const endUser = await onboardedEndUser();
    expect((await saveLinkedAccount(endUser.id, identity(randomUUID()), "op@example.com")).kind).toBe("linked");
    // What a link holds from reading the current link until its replacement commits.
    const link = new pg.Client({ connectionString: h.stack.databaseUrl });
    await link.connect();
    let unlinked: ReturnType<typeof deleteLinkedAccount> | undefined;
    try {
      await link.query("BEGIN");
      await link.query(`SELECT 1 FROM "ConductorEndUser" WHERE "id" = $1 FOR NO KEY UPDATE`, [endUser.id]);
      const { pid } = (await link.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!;
      unlinked = deleteLinkedAccount(endUser.id, "altur", "op2@example.com");
      const blocked = `SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`;
      await expect.poll(() => h.count(blocked, [pid]), { timeout: 5_000 }).toBe(1);
      await link.query("ROLLBACK");
    } finally {
      await link.end();
    }
    expect(await unlinked).toEqual({ removed: true });
  });

  it("a re-link and an unlink of the same end-user at once, twenty times: both succeed every time, in either order", async () => {
    const { saveLinkedAccount, deleteLinkedAccount } = await import("@/lib/data/linked-accounts");
    const endUser = await onboardedEndUser();
    for (let round = 0; round < 20; round++) {
      await saveLinkedAccount(endUser.id, identity(randomUUID()), "op@example.com");
      const [linked, unlinked] = await Promise.allSettled([
        saveLinkedAccount(endUser.id, identity(randomUUID()), "op@example.com"),
        deleteLinkedAccount(endUser.id, "altur", "op2@example.com"),
      ]);
      expect(linked).toMatchObject({ status: "fulfilled", value: { kind: "linked" } });
      expect(unlinked).toEqual({ status: "fulfilled", value: { removed: true } });
    }
  });

  it("a provider that hangs → 504 after the bounded timeout", async () => {
    await h.emulator.arm({ provider: "dify", hang: true, times: 1 });
    const started = Date.now();
    await expect(
      difyClient({ baseUrl: h.emulator.difyUrl(), apiKey: secretKey }).retrieveIdentity(DIFY),
    ).rejects.toMatchObject({
      status: 504,
      code: "upstream_timeout",
      message: "Dify did not answer in time.",
    });
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("a provider whose answer stops halfway and hangs → 504 after the bounded timeout, not a 502 for an answer it could not read", async () => {
    await h.emulator.arm({ provider: "altur", truncate: true, hang: true, times: 1 });
    await expect(
      alturClient({ baseUrl: h.emulator.alturUrl(), apiKey: secretKey }).retrieveIdentity(ALTUR),
    ).rejects.toMatchObject({ status: 504, code: "upstream_timeout", message: "Altur did not answer in time." });
  });
});
