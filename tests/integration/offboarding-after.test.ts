/**
 * After offboarding: tombstones are listed only when asked for, answer 410 to reads and lookups
 * without asking Conductor, are never rewritten by a refresh or reconcile, and the customer can
 * onboard again, exactly once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { offboard, operator, signInOperator } from "./offboarding/steps";

beforeAll(signInOperator);

describe("after offboarding", () => {
  it("an offboarded end-user's page points an operator to the end-user its customer has now, once they onboarded again, and back (with the customer's whole audit trail); it tells the customer their company is set up again", async () => {
    const { endUser, client } = await h.onboardedCustomer("again", "Gone Before Co");
    expect((await offboard(endUser.id)).status).toBe(200);
    const notice = async () => {
      const page = await (await operator().fetch(`/end-users/${endUser.id}`)).text();
      return /data-testid="onboarded-again"[^>]*>([\s\S]*?)<\/div>/.exec(page)?.[1] ?? null;
    };
    expect(await notice()).toBeNull();

    const again = await client.json("/api/end-users", { companyName: "Back Again Co" });
    expect(again.status).toBe(201);
    const { endUser: now } = (await again.json()) as { endUser: { id: string } };
    const said = await notice();
    expect(said).toContain(`href="/end-users/${now.id}"`);
    expect(said).toContain("Back Again Co");
    // And back: the new end-user's page names the former one, and the audit trail of both.
    const newPage = (await (await operator().fetch(`/end-users/${now.id}`)).text()).replaceAll("<!-- -->", "");
    const former = /data-testid="former-end-user"[^>]*>([\s\S]*?)<\/p>/.exec(newPage)?.[1] ?? "";
    expect(former).toContain(`href="/end-users/${endUser.id}"`);
    expect(former).toContain("Gone Before Co");
    expect(former).toContain(`href="/audit?sourceId=${encodeURIComponent(endUser.sourceId)}"`);
    // A customer sees no such line on their own page.
    expect(await (await client.fetch(`/end-users/${now.id}`)).text()).not.toContain("former-end-user");
    // The customer's own tombstone page tells them their company is set up again, not to set it up again.
    const own = (await (await client.fetch(`/end-users/${endUser.id}`)).text()).replaceAll("<!-- -->", "");
    expect(own).not.toContain("onboarded-again");
    expect(own).not.toContain("You can connect your company again");
    expect(own).toMatch(
      /data-testid="set-up-again">Your company is set up again since, as <strong>Back Again Co<\/strong>/,
    );
  });

  it("an offboarded end-user's page tells its customer, who has not onboarded again, that they can", async () => {
    const { endUser, client } = await h.onboardedCustomer("not-again", "Gone For Now Co");
    expect((await offboard(endUser.id)).status).toBe(200);
    const own = (await (await client.fetch(`/end-users/${endUser.id}`)).text()).replaceAll("<!-- -->", "");
    expect(own).toContain('You can connect your company again from <a href="/onboarding">Onboarding</a>.');
    expect(own).not.toContain("set-up-again");
  });

  it("lists hide it unless include=deleted; GET answers 410 with deletedAt, without asking Conductor", async () => {
    const { endUser, client } = await h.onboardedCustomer("after", "Tombstone Visible Co");
    const { deleted } = await (await offboard(endUser.id)).json();
    const list = async (query: string) =>
      (
        (await (await operator().fetch(`/api/end-users?q=${endUser.sourceId}${query}`)).json()) as {
          data: { id: string; deletedAt: string | null }[];
        }
      ).data;
    expect(await list("")).toEqual([]);
    expect(await list("&include=deleted")).toEqual([
      expect.objectContaining({ id: endUser.id, deletedAt: deleted.deletedAt }),
    ]);
    expect((await operator().fetch(`/api/end-users?include=all`)).status).toBe(400);

    await h.emulator.forgetCalls();
    for (const who of [operator(), client]) {
      for (const path of [`/api/end-users/${endUser.id}`, `/api/end-users/${endUser.id}?cache=only`]) {
        const response = await who.fetch(path);
        expect(response.status).toBe(410);
        expect((await response.json()).error).toMatchObject({
          code: "end_user_deleted",
          fields: { deletedAt: [deleted.deletedAt] },
        });
      }
    }
    const page = await operator().fetch(`/end-users/${endUser.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-testid="tombstone-banner"');
    expect(html).toContain(h.stack.operatorEmail);
    // Whether or not a user had it, it says no more than that it keeps no link.
    expect(html).toContain("none: an offboarded end-user keeps no link");
    expect(html).not.toContain("unlinked when offboarded");
    expect(html).toContain("No integration connections: offboarding removed them.");
    // The customer's own page says what offboarding did, and nothing of how operators link users.
    const own = await (await client.fetch(`/end-users/${endUser.id}`)).text();
    expect(own).toContain('data-testid="tombstone-banner"');
    expect(own).toContain("No integration connections: offboarding removed them.");
    expect(own).not.toContain("Our user");
    expect(own).not.toContain("keeps no link");
    expect(await h.emulator.calls({ provider: "conductor" })).toEqual([]);
  });

  it("a search of /end-users by an offboarded end-user's id or sourceId offers to search the offboarded too, where it is listed", async () => {
    const { endUser } = await h.onboardedCustomer("search-gone", "Searched Gone Co");
    expect((await offboard(endUser.id)).status).toBe(200);
    for (const term of [endUser.id, endUser.sourceId]) {
      const html = await (await operator().fetch(`/end-users?q=${term}`)).text();
      expect(html).toContain(`No cached end-user matches “${term}”.`);
      const offer = /<a data-testid="search-offboarded" href="([^"]+)">Search offboarded end-users too<\/a>/.exec(html);
      expect(offer?.[1]).toBe(`/end-users?q=${term}&amp;include=deleted`);
      // One sentence: "Search offboarded end-users too, show all end-users, or refresh…".
      expect(html.replaceAll("<!-- -->", "")).toContain(
        'Search offboarded end-users too</a>, <a href="/end-users">show all end-users</a>, or',
      );
      const listed = await (await operator().fetch(`/end-users?q=${term}&include=deleted`)).text();
      expect(listed).toContain(`href="/end-users/${endUser.id}"`);
      expect(listed).not.toContain("search-offboarded");
    }
    // Offboarded end-users have no status: the offer leaves a status filter behind, and without a
    // search there is nothing to offer.
    const filtered = await (await operator().fetch(`/end-users?q=${endUser.id}&status=connected`)).text();
    const offer = /<a data-testid="search-offboarded" href="([^"]+)">/.exec(filtered);
    expect(offer?.[1]).toBe(`/end-users?q=${endUser.id}&amp;include=deleted`);
    const unsearched = await (await operator().fetch("/end-users?status=needs_attention")).text();
    expect(unsearched).not.toContain("search-offboarded");
  });

  it("the lookup answers 410 with deletedAt, the id and the sourceId by sourceId and by id; once the customer onboards again the sourceId finds the new end-user, and the old id's 410 names it", async () => {
    const { endUser, client } = await h.onboardedCustomer("lookup-after", "Lookup Gone Co");
    const { deleted } = await (await offboard(endUser.id)).json();
    const lookup = (query: string) => h.service(`/api/end-users/lookup?${query}`);
    const gone = { deletedAt: [deleted.deletedAt], id: [endUser.id], sourceId: [endUser.sourceId] };
    for (const query of [`sourceId=${endUser.sourceId}`, `id=${endUser.id}`]) {
      const response = await lookup(query);
      expect(response.status).toBe(410);
      expect((await response.json()).error).toEqual({
        code: "end_user_deleted",
        message: expect.stringContaining("offboarded"),
        fields: gone,
      });
    }
    const again = await client.json("/api/end-users", { companyName: "Lookup Back Co" });
    expect(again.status).toBe(201);
    const fresh = (await again.json()).endUser as { id: string };
    const found = await lookup(`sourceId=${endUser.sourceId}`);
    expect(found.status).toBe(200);
    expect((await found.json()).id).toBe(fresh.id);
    const old = await lookup(`id=${endUser.id}`);
    expect(old.status).toBe(410);
    const { error } = await old.json();
    expect(error.fields).toEqual({ ...gone, currentId: [fresh.id] });
    expect(error.message).toContain(`Its customer (sourceId ${endUser.sourceId}) has end-user ${fresh.id} now.`);
  });

  it("a lookup by an Altur id the offboarding unlinked names the customer's new end-user once they onboard again and says the id is not linked to it; the new end-user's page offers it to link again, each form's hint naming its provider's id format", async () => {
    const ALTUR = "a1000000-0000-4000-8000-000000000002";
    // The sandbox has three Altur end-users for the whole suite: free this one from any earlier test.
    await h.sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'altur' AND "externalId" = $1`, [ALTUR]);
    const { endUser, client } = await h.onboardedCustomer("lookup-unlinked", "Unlinked Gone Co");
    const linked = await operator().fetch(`/api/end-users/${endUser.id}/providers/altur`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ externalId: ALTUR }),
    });
    expect(linked.status).toBe(200);
    expect((await offboard(endUser.id)).status).toBe(200);
    const byAltur = () => h.service(`/api/end-users/lookup?provider=altur&id=${ALTUR}`);
    const before = await byAltur();
    expect(before.status).toBe(410);
    expect((await before.json()).error.fields).toMatchObject({ id: [endUser.id], sourceId: [endUser.sourceId] });

    const fresh = (await (await client.json("/api/end-users", { companyName: "Unlinked Back Co" })).json()).endUser as {
      id: string;
    };
    const after = await byAltur();
    expect(after.status).toBe(410);
    const { error } = await after.json();
    expect(error.fields.currentId).toEqual([fresh.id]);
    expect(error.message).toContain(`has end-user ${fresh.id} now. The altur id is not linked to it`);
    // The new end-user's page tells the operator, with the former id filled in to link again.
    const page = (await (await operator().fetch(`/end-users/${fresh.id}`)).text()).replaceAll("<!-- -->", "");
    const former = /data-testid="link-altur-former"[^>]*>([\s\S]*?)<\/p>/.exec(page)?.[1] ?? "";
    expect(former).toContain(endUser.id);
    expect(former).toContain(ALTUR);
    expect(/<input[^>]*id="altur-external-id"[^>]*>/.exec(page)?.[0]).toContain(`value="${ALTUR}"`);
    expect(page).not.toContain('data-testid="link-dify-former"');
    // Each link form's hint states its provider's id format.
    expect(page).toContain("id as Altur shows it: a version 4 UUID, 32 hexadecimal digits");
    expect(page).toContain("id as Dify shows it: a UUID, 32 hexadecimal digits");

    // Linked to another customer since: no longer offered.
    const { endUser: other } = await h.onboardedCustomer("lookup-unlinked-other", "Other Holder Co");
    const taken = await operator().fetch(`/api/end-users/${other.id}/providers/altur`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ externalId: ALTUR }),
    });
    expect(taken.status).toBe(200);
    const later = await (await operator().fetch(`/end-users/${fresh.id}`)).text();
    expect(later).not.toContain('data-testid="link-altur-former"');
    // Leaves the id as other files expect it: linked to nobody, and never offboarded.
    await h.sql(`DELETE FROM "ProviderEndUser" WHERE provider = 'altur' AND "externalId" = $1`, [ALTUR]);
    await h.sql(`DELETE FROM "OffboardedProviderLink" WHERE provider = 'altur' AND "externalId" = $1`, [ALTUR]);
  });

  it("the customer onboards again: 20 concurrent submits → 1 POST, 1 live end-user beside the tombstone", async () => {
    const { endUser, client } = await h.onboardedCustomer("again", "Comeback Co");
    expect((await offboard(endUser.id)).status).toBe(200);
    expect(await h.claim(endUser.sourceId)).toBeUndefined();
    const since = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => client.json("/api/end-users", { companyName: "Comeback Co Again" })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.every((status) => status === 201 || status === 200 || status === 409)).toBe(true);
    const posts = (await h.emulator.calls({ provider: "conductor", method: "POST", path: "/end-users" })).filter(
      (call) => Date.parse(call.at) >= since,
    );
    expect(posts).toHaveLength(1);
    const rows = await h.sql<{ id: string; deletedAt: Date | null; userId: string | null }>(
      `SELECT id, "deletedAt", "userId" FROM "ConductorEndUser" WHERE "sourceId" = $1 ORDER BY "createdAt"`,
      [endUser.sourceId],
    );
    expect(rows).toEqual([
      { id: endUser.id, deletedAt: expect.any(Date), userId: null },
      { id: expect.not.stringMatching(endUser.id), deletedAt: null, userId: endUser.sourceId },
    ]);
    const onboarding = await (await client.fetch("/onboarding")).text();
    expect(onboarding).toContain("Comeback Co Again");
  });

  it("refresh and reconcile never flag, rewrite or resurrect a tombstone, even from a list that predates the delete", async () => {
    const { endUser } = await h.onboardedCustomer("sync-after", "Stale List Co");
    const [{ syncCacheWithUpstream }, { endUserAnswer }, { databaseNow }] = await Promise.all([
      import("@/lib/data/end-user-sync"),
      import("@/lib/vendors/conductor/reshape"),
      import("@/lib/data/clock"),
    ]);
    // Conductor's list as it was just before the delete, the end-user renamed in it.
    const listedAt = await databaseNow();
    const listed = (await h.conductor.endUsers.list()).data.map((upstream) =>
      endUserAnswer.parse(upstream.id === endUser.id ? { ...upstream, companyName: "Renamed Upstream" } : upstream),
    );
    expect((await offboard(endUser.id)).status).toBe(200);
    const before = await h.sql(`SELECT * FROM "ConductorEndUser" WHERE id = $1`, [endUser.id]);
    await syncCacheWithUpstream(listed, listedAt, "system");
    expect(await h.sql(`SELECT * FROM "ConductorEndUser" WHERE id = $1`, [endUser.id])).toEqual(before);
    await h.reconcile();
    expect(await h.sql(`SELECT * FROM "ConductorEndUser" WHERE id = $1`, [endUser.id])).toEqual(before);
  });
});
