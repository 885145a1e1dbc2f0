/**
 * The audit trail's JSON API, GET /api/audit: keyset paging, the event shape, every filter,
 * actors as emails or "system", bad filters refused (for the CSV too) without writing anything,
 * and only operators may read it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { SEEDED_EVENTS, seedTrail, trail, type AuditEvent } from "./audit/trail";

beforeAll(seedTrail);

describe("GET /api/audit", () => {
  it("pages newest first through every matching event exactly once (ties broken by id)", async () => {
    const events = await trail.all(`sourceId=${trail.tag}-src-1`);
    const expected = await h.count(`SELECT 1 FROM "AuditEvent" WHERE "sourceId" = $1`, [`${trail.tag}-src-1`]);
    expect(events).toHaveLength(expected);
    expect(new Set(events.map((e) => e.id)).size).toBe(expected);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!];
      expect(a.at.localeCompare(b.at) || a.id.localeCompare(b.id)).toBeGreaterThan(0);
    }
  });

  it("answers {id, at, action, actor, endUserId, sourceId, conductorRequestId, data}; people as emails, jobs as system", async () => {
    const events = await trail.all(`endUserId=end_usr_${trail.tag}4`, 100);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(
        ["action", "actor", "at", "conductorRequestId", "data", "endUserId", "id", "sourceId"].sort(),
      );
      expect(event.at).toMatch(/Z$/);
      expect([trail.legacyEmail(), "system", `ops-${trail.tag}@example.test`]).toContain(event.actor);
    }
    const byId = new Map(events.map((e) => [e.id, e]));
    expect(byId.get(`${trail.tag}-0004`)).toMatchObject({
      actor: trail.legacyEmail(),
      conductorRequestId: `req_${trail.tag}4`,
    });
    expect(byId.get(`${trail.tag}-0010`)).toMatchObject({ actor: "system", data: { n: 10 } });
  });

  it.each([
    ["action", `action=PROVIDER_LINKED&sourceId=${trail.tag}-src-0`, (i: number) => i % 4 === 1 && i % 3 === 0],
    ["a person, by email (also rows that hold their user id)", "", (i: number) => i % 4 === 0],
    [
      "system (cron, scheduler, cli)",
      `actor=system&sourceId=${trail.tag}-src-2`,
      (i: number) => (i % 4 === 1 || i % 4 === 2) && i % 3 === 2,
    ],
    ["endUserId", `endUserId=end_usr_${trail.tag}5`, (i: number) => i % 6 === 5],
    [
      "since and until, whole days",
      `since=2024-03-02&until=2024-03-03&sourceId=${trail.tag}-src-0`,
      (i: number) => {
        const hour = i - (i % 5 === 0 ? 1 : 0);
        return hour >= 24 && hour < 72 && i % 3 === 0;
      },
    ],
    [
      "until an instant, inclusive",
      `until=2024-03-01T05:00:00Z&endUserId=end_usr_${trail.tag}1`,
      (i: number) => {
        const hour = i - (i % 5 === 0 ? 1 : 0);
        return hour <= 5 && i % 6 === 1;
      },
    ],
    [
      "bounds beyond any stored time (years 0000 and 9999), as no bound at all",
      `since=0000-01-01&until=9999-12-31&endUserId=end_usr_${trail.tag}5`,
      (i: number) => i % 6 === 5,
    ],
    ["an until in year 0000, as nothing", `until=0000-06-01T00:00:00Z&endUserId=end_usr_${trail.tag}5`, () => false],
  ])("filters by %s", async (_name, query, matches) => {
    const filter = query || `actor=${encodeURIComponent(trail.legacyEmail().toUpperCase())}`;
    const events = (await trail.all(filter, 50)).filter((e) => e.id.startsWith(trail.tag));
    const expected = Array.from({ length: SEEDED_EVENTS }, (_, k) => k + 1).filter(matches);
    expect(events.map((e) => Number(e.id.slice(-4))).sort((a, b) => a - b)).toEqual(expected);
  });

  it("sourceId also finds events that name only an end-user with that sourceId, as provider events did before they carried it", async () => {
    const { endUser } = await h.onboardedCustomer("audit-source", "Source Filter Co");
    // An event as provider links were audited before: the end-user named, its sourceId not.
    await h.sql(
      `INSERT INTO "AuditEvent" (id, at, action, actor, "sourceId", "endUserId", data)
       VALUES (gen_random_uuid()::text, timezone('UTC', now()), 'PROVIDER_LINKED', $1, NULL, $2,
               '{"provider": "dify", "externalId": "d1000000-0000-4000-8000-000000000001"}'::jsonb)`,
      [h.stack.operatorEmail, endUser.id],
    );
    const events = await trail.all(`sourceId=${endUser.sourceId}`);
    expect(events.map((e) => e.action)).toEqual(["PROVIDER_LINKED", "END_USER_CREATED"]);
    expect(events[0]).toMatchObject({ actor: h.stack.operatorEmail, sourceId: null, endUserId: endUser.id });
    expect(events[1]).toMatchObject({ conductorRequestId: expect.stringMatching(/^req_/) });
  });

  it("records who acted as their email, and jobs as system; a creation names the company", async () => {
    const { email, endUser } = await h.onboardedCustomer("audit-actor", "Actor Email Co");
    const [created] = await trail.all(`endUserId=${endUser.id}&action=END_USER_CREATED`);
    expect(created).toMatchObject({ actor: email, data: { companyName: "Actor Email Co" } });
    expect((await h.sql(`SELECT actor FROM "AuditEvent" WHERE id = $1`, [created!.id]))[0]).toEqual({ actor: email });
    await h.reconcile();
    const [refreshed] = (await (await trail.get("action=CACHE_REFRESHED&actor=system&limit=1")).json())
      .data as AuditEvent[];
    expect(refreshed).toMatchObject({ actor: "system", conductorRequestId: expect.stringMatching(/^req_/) });
  });

  it("filters by a sourceId another app set in Conductor with spaces, as the lookup finds it", async () => {
    const sourceId = `${trail.tag} legacy user`;
    await h.sql(
      `INSERT INTO "AuditEvent" ("id", "at", "action", "actor", "sourceId") VALUES ($1, now(), 'CACHE_REFRESHED', 'system', $2)`,
      [`${trail.tag}-spaced`, sourceId],
    );
    const response = await trail.get(`sourceId=${encodeURIComponent(sourceId)}`);
    expect(response.status).toBe(200);
    expect(((await response.json()).data as AuditEvent[]).map((event) => event.id)).toEqual([`${trail.tag}-spaced`]);
  });

  it.each([
    ["an unknown action", "action", "action=END_USER_EXPLODED"],
    ["an actor that is not an email", "actor", "actor=bob"],
    ["a NUL in the actor", "actor", "actor=a%00b@example.test"],
    ["a sourceId with a NUL", "sourceId", "sourceId=x%00y"],
    ["a 10,000-character sourceId", "sourceId", `sourceId=${"s".repeat(10_000)}`],
    ["a malformed end-user id", "endUserId", "endUserId=usr_1"],
    ["a date that is not one", "since", "since=yesterday"],
    ["a local time without offset", "until", "until=2024-03-01T10:00:00"],
    ["since after until", "until", "since=2024-03-05&until=2024-03-01"],
    ["a cursor this API never returned", "cursor", "cursor=bm90LWEtY3Vyc29y"],
    ["limit 0", "limit", "limit=0"],
    ["limit 101", "limit", "limit=101"],
    ["a hexadecimal limit", "limit", "limit=0x10"],
    ["a repeated filter", "action", "action=END_USER_CREATED&action=PROVIDER_LINKED"],
    ["__proto__ as the actor", "actor", "actor=__proto__"],
    ["constructor", "constructor", "constructor=1"],
    ["toString", "toString", "toString=1"],
    ["an unknown field", "tenant", "tenant=1"],
    ["a lone surrogate", "actor", "actor=%ED%A0%80"],
    ["malformed %-encoding", "actor", "actor=%E0%A4%A"],
  ])("%s → 400 naming %s, for JSON and CSV alike; nothing written", async (_name, field, query) => {
    const events = await h.count(`SELECT 1 FROM "AuditEvent"`);
    for (const route of ["/api/audit", "/api/audit.csv"]) {
      const response = await trail.operator().fetch(`${route}?${query}`);
      expect(response.status).toBe(400);
      const { error } = await response.json();
      expect(error.code).toBe("invalid_request");
      expect(Object.keys(error.fields)).toContain(field);
    }
    expect(await h.count(`SELECT 1 FROM "AuditEvent"`)).toBe(events);
  });

  it("/audit's links to older and newest events, and its filter form, keep the page size and the filters, and its title says which page it is, however reached; its CSV link, the filters alone", async () => {
    const filter = `sourceId=${trail.tag}-src-1`;
    const first = (await (await trail.operator().fetch(`/audit?limit=2&${filter}`)).text()).replaceAll("&amp;", "&");
    const older = /href="(\/audit\?[^"]*cursor=[^"]*)"/.exec(first)?.[1];
    expect(older).toBeDefined();
    expect(new URLSearchParams(older!.split("?")[1]).get("limit")).toBe("2");
    expect(older).toContain(filter);
    expect(first).toContain(`href="/api/audit.csv?${filter}"`);
    // Filtering again keeps the page size too.
    expect(/<form [^>]*role="search"[^>]*>(.*?)<\/form>/s.exec(first)?.[1]).toContain(
      '<input type="hidden" name="limit" value="2"/>',
    );
    const second = (await (await trail.operator().fetch(older!)).text()).replaceAll("&amp;", "&");
    expect(second).toMatch(/href="\/audit\?[^"]*limit=2[^"]*">« Newest/);
    expect((second.match(/<tr/g) ?? []).length).toBe(3); // the header row and two events
    // Its previous page, through the link back, is the first page again, which links back to nothing.
    const newer = /<a [^>]*href="([^"]+)"[^>]*rel="prev"|<a [^>]*rel="prev"[^>]*href="([^"]+)"/.exec(second);
    const back = (await (await trail.operator().fetch(newer![1] ?? newer![2]!)).text()).replaceAll("&amp;", "&");
    const eventIds = (html: string) => [...html.matchAll(/<tr[^>]*>[\s\S]*?<\/tr>/g)].map((row) => row[0]);
    expect(eventIds(back)).toEqual(eventIds(first));
    expect(back).not.toContain('rel="prev"');
    // Reached through a link, the newest page is titled and linked as the newest page still.
    const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
    expect(title(second)).toBe("Audit trail, filtered, older events — Conductor Onboarding");
    expect(title(back)).toBe("Audit trail, filtered — Conductor Onboarding");
    expect(back).not.toContain("« Newest");
  });

  it("pages back from any page with prevCursor to exactly the pages that led there, the first having none", async () => {
    const query = `sourceId=${trail.tag}-src-1&limit=1`;
    const pages: { ids: string[]; nextCursor: string | null; prevCursor: string | null }[] = [];
    for (let cursor: string | null = ""; cursor !== null && pages.length < 20;) {
      const response = await trail.operator().fetch(`/api/audit?${query}${cursor ? `&cursor=${cursor}` : ""}`);
      const body = (await response.json()) as {
        data: { id: string }[];
        nextCursor: string | null;
        prevCursor: string | null;
      };
      pages.push({ ...body, ids: body.data.map((event) => event.id) });
      cursor = body.nextCursor;
    }
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]!.prevCursor).toBeNull();
    const back = [pages.at(-1)!.ids];
    for (let cursor = pages.at(-1)!.prevCursor; cursor && back.length <= pages.length;) {
      const body = (await (await trail.operator().fetch(`/api/audit?${query}&cursor=${cursor}`)).json()) as {
        data: { id: string }[];
        prevCursor: string | null;
      };
      back.unshift(body.data.map((event) => event.id));
      cursor = body.prevCursor;
    }
    expect(back).toEqual(pages.map((page) => page.ids));
  });

  it("refuses a previous page's cursor for a whole CSV export, and takes it for one page", async () => {
    const query = `sourceId=${trail.tag}-src-1&limit=1`;
    const first = (await (await trail.operator().fetch(`/api/audit?${query}`)).json()) as { nextCursor: string };
    const second = (await (await trail.operator().fetch(`/api/audit?${query}&cursor=${first.nextCursor}`)).json()) as {
      prevCursor: string;
    };
    const whole = await trail
      .operator()
      .fetch(`/api/audit.csv?sourceId=${trail.tag}-src-1&cursor=${second.prevCursor}`);
    expect(whole.status).toBe(400);
    expect((await whole.json()).error.fields.cursor).toEqual([expect.stringContaining("previous page")]);
    const one = await trail.operator().fetch(`/api/audit.csv?${query}&cursor=${second.prevCursor}`);
    expect(one.status).toBe(200);
    expect((await one.text()).trim().split("\n")).toHaveLength(2); // the header and one event
  });

  it("/audit leaves out each parameter it does not take (a link's tracking parameter, one with no name), says so, and still lists the filtered events", async () => {
    const filter = `sourceId=${trail.tag}-src-1`;
    const listed = async (query: string) => {
      const html = await (await trail.operator().fetch(`/audit?${query}`)).text();
      return { html, rows: (html.match(/<tr/g) ?? []).length };
    };
    const { rows } = await listed(filter);
    expect(rows).toBeGreaterThan(1);
    for (const [query, said] of [
      ["utm_source=mail", "Left out what the audit trail does not take: the parameter utm_source."],
      ["=x", "Left out what the audit trail does not take: a parameter with no name."],
      ["foo=1&=x", "Left out what the audit trail does not take: the parameter foo and a parameter with no name."],
    ]) {
      const page = await listed(`${filter}&${query}`);
      expect(page.html, query).toContain(said);
      expect(page.html).not.toContain("These filters could not be");
      expect(page.rows, query).toBe(rows);
    }
  });

  it("/audit keeps two real days in date pickers even when they are out of order, the order's problem beside Until", async () => {
    const html = await (await trail.operator().fetch(`/audit?since=2026-05-10&until=2026-05-01`)).text();
    const input = (name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
    expect(input("since")).toContain('type="date"');
    expect(input("until")).toContain('type="date"');
    expect(html).toContain("These filters could not be used: Until.");
    expect(html).toContain("Until must not be before From.");
    expect(html).not.toContain("before since");
  });

  it("/audit keeps the first of a filter given twice in its box, says beside it to give it once, and filters by neither, in its title as on the page", async () => {
    const html = await (
      await trail.operator().fetch(`/audit?since=2026-05-01&since=2026-06-01&cursor=a&cursor=b`)
    ).text();
    expect(/<input[^>]*name="since"[^>]*>/.exec(html)?.[0]).toContain('value="2026-05-01"');
    expect(html).toContain("From must be given once.");
    expect(html).toContain("These filters could not be used: From.");
    expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toBe("Audit trail — Conductor Onboarding");
  });

  it("/audit shows the first page of the same filters, with a notice, for a page link it cannot read", async () => {
    const filter = `sourceId=${trail.tag}-src-1`;
    for (const [link, notice] of [
      ["cursor=bm90LWEtY3Vyc29y", "the page link is no longer valid."],
      ["limit=abc", "the page size must be a whole number from 1 to 100, in digits."],
      ["limit=1000", "the page size must be a whole number from 1 to 100, in digits."],
      ["limit=0&cursor=x", "the page size must be a whole number from 1 to 100, in digits."],
    ]) {
      const html = await (await trail.operator().fetch(`/audit?${filter}&${link}`)).text();
      expect(html, link).toContain(`Showing the first page instead: ${notice}`);
      expect(html).not.toContain("These filters could not be");
      expect((html.match(/<tr/g) ?? []).length).toBeGreaterThan(1);
    }
    const badFilter = await (await trail.operator().fetch(`/audit?since=yesterday&cursor=x`)).text();
    expect(badFilter).toContain(
      "These filters could not be used: From. Correct them as said beside each, and filter again.",
    );
    expect(badFilter).not.toContain("Showing the first page instead");
  });

  it("/audit says a page size it cannot read was set aside, not that it takes no page size, beside a filter to correct", async () => {
    const badAction = await (await trail.operator().fetch(`/audit?limit=0&action=BOGUS`)).text();
    expect(badAction).toContain(
      "These filters could not be used: Action. Correct them as said beside each, and filter again.",
    );
    expect(badAction).toContain(
      "The page link was set aside too: the page size must be a whole number from 1 to 100, in digits.",
    );
    expect(badAction).not.toContain("the parameter limit");
    // Filtering again does not send the size back.
    expect(badAction).not.toContain('name="limit"');
    const unknown = await (await trail.operator().fetch(`/audit?limit=0&foo=bar`)).text();
    expect(unknown).toContain(
      "Left out what the audit trail does not take: the parameter foo. Showing the first page instead: the page size must be a whole number from 1 to 100, in digits.",
    );
    expect(unknown).not.toContain("the parameter limit");
  });

  it("customers, service tokens and anonymous callers cannot read it, as JSON or CSV", async () => {
    const { client: customer } = await h.customer("audit-snoop");
    for (const route of ["/api/audit", "/api/audit.csv"]) {
      expect((await customer.fetch(route)).status).toBe(403);
      expect((await h.client().fetch(route)).status).toBe(401);
      const token = await h.service(route);
      expect(token.status).toBe(403);
      expect((await token.json()).error.code).toBe("forbidden");
    }
  });
});
