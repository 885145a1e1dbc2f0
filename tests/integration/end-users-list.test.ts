/**
 * The operator's list API, GET /api/end-users: keyset paging over 10,000 cached end-users, the
 * public EndUser shape, search on every field (literally), and its parameters validated.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "@/lib/data/cursor";
import { rareMatchIds, searchTerm } from "@/lib/data/end-user-search";
import { h, type HttpClient } from "../support/harness";

const SEEDED = 10_000;
const prefix = `seed${Date.now()}`;
let operator: HttpClient;

/** A search's rows (ids) and the sum of its counts, as the operator's list answers it. */
async function search(q: string): Promise<{ ids: string[]; counted: number }> {
  const body = (await (await operator.fetch(`/api/end-users?q=${encodeURIComponent(q)}`)).json()) as {
    data: { id: string }[];
    counts: Record<string, number>;
  };
  return { ids: body.data.map((row) => row.id), counted: Object.values(body.counts).reduce((a, b) => a + b, 0) };
}

/** Caches one end-user per name, as `end_usr_${prefix}${tag}${key}`. */
async function insertNamed(tag: string, names: Record<string, string>): Promise<void> {
  for (const [key, name] of Object.entries(names))
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
       VALUES ($1, $2, $3, $4, now(), now())`,
      [`end_usr_${prefix}${tag}${key}`, `${prefix}-${tag}${key}`, name, `${key}@${prefix}.example`],
    );
}

/** 3,000 more end-users under `${prefix}r`, in two statuses, every tenth offboarded. */
const set = `${prefix}r`;
async function seedSearchSet() {
  if ((await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" LIKE '${set}-%'`)) > 0) return;
  await h.seedCachedEndUsers(set, 3_000);
  await h.sql(
    `UPDATE "ConductorEndUser" SET
       "connectionStatus" = (CASE WHEN "sourceId" ~ '[048]$' THEN 'connected' ELSE 'needs_attention' END)::"ConnectionStatus",
       "deletedAt" = CASE WHEN "sourceId" ~ '3$' THEN now() END
     WHERE "sourceId" LIKE '${set}-%'`,
  );
}

beforeAll(async () => {
  operator = await h.operator();
  await h.seedCachedEndUsers(prefix, SEEDED);
});

describe("GET /api/end-users", () => {
  it("pages through 10,000 cached end-users returning every row exactly once, newest first", async () => {
    // Offboarded end-users (tombstones) are listed only when asked for.
    const total = await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "deletedAt" IS NULL`);
    expect(total).toBeGreaterThanOrEqual(SEEDED);
    const seen: string[] = [];
    let previous: { createdAt: string; id: string } | null = null;
    let cursor: string | null = null;
    for (let page = 0; page < 200; page++) {
      const query = new URLSearchParams({ limit: "100", ...(cursor ? { cursor } : {}) });
      const response = await operator.fetch(`/api/end-users?${query}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: { id: string; createdAt: string }[]; nextCursor: string | null };
      for (const row of body.data) {
        if (previous) {
          const order = previous.createdAt.localeCompare(row.createdAt) || previous.id.localeCompare(row.id);
          expect(order).toBeGreaterThan(0);
        }
        previous = row;
        seen.push(row.id);
      }
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("answers each end-user in the public EndUser shape", async () => {
    const body = await (await operator.fetch(`/api/end-users?limit=1&q=${prefix}-src-42`)).json();
    expect(body).toEqual({
      data: [
        {
          id: `end_usr_${prefix}00042`,
          sourceId: `${prefix}-src-42`,
          companyName: `Company ${prefix} 42`,
          email: `owner42@${prefix}.example`,
          createdAt: expect.stringMatching(/Z$/),
          syncedAt: expect.stringMatching(/Z$/),
          deletedAt: null,
          integrationConnections: [],
          connection: { status: "not_started", checkedAt: null, message: null, conductorRequestId: null },
        },
      ],
      nextCursor: null,
      prevCursor: null,
      counts: { not_started: 1, in_progress: 0, connected: 0, needs_attention: 0 },
    });
  });

  it.each([
    ["company (any case, any part)", "zebra HOLDINGS", 10],
    ["email", `owner4242@${prefix}`, 1],
    ["sourceId", `${prefix}-src-4242`, 1],
    ["id", `end_usr_${prefix}04242`, 1],
  ])("finds by %s", async (_field, q, expected) => {
    const body = (await (await operator.fetch(`/api/end-users?limit=100&q=${encodeURIComponent(q)}`)).json()) as {
      data: unknown[];
    };
    expect(body.data).toHaveLength(expected);
  });

  it("treats search text literally: _ and % match only themselves", async () => {
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt") VALUES
         ('end_usr_${prefix}lit1', '${prefix}-lit1', 'Wild_Card 100% ${prefix}', 'lit1@${prefix}.example', now(), now()),
         ('end_usr_${prefix}lit2', '${prefix}-lit2', 'WildXCard 1000 ${prefix}', 'lit2@${prefix}.example', now(), now())`,
    );
    const search = async (q: string) =>
      (
        (await (await operator.fetch(`/api/end-users?q=${encodeURIComponent(q)}`)).json()) as { data: { id: string }[] }
      ).data.map((row) => row.id);
    expect(await search("wild_card")).toEqual([`end_usr_${prefix}lit1`]);
    expect(await search("100%")).toEqual([`end_usr_${prefix}lit1`]);
    expect(await search("%_%")).toEqual([]);
  });

  it("finds a company name pasted as its customer typed it: with zero-width spaces, stray tag characters and runs of spaces, as saved without them", async () => {
    const typed = `Ivan\u200bCo \u{E0041}  Ltd\u00a0${prefix}`;
    const { endUser } = await h.onboardedCustomer("typed-name", typed);
    expect(endUser.companyName).toBe(`IvanCo Ltd ${prefix}`);
    const search = async (q: string) =>
      (
        (await (await operator.fetch(`/api/end-users?q=${encodeURIComponent(q)}`)).json()) as { data: { id: string }[] }
      ).data.map((row) => row.id);
    expect(await search(typed)).toEqual([endUser.id]);
    expect(await search(` Ivan\u2060Co   Ltd `)).toEqual([endUser.id]);
  });

  it("finds and counts a company name whichever Unicode form it is stored and searched in (accents composed, decomposed, or a mix as stored)", async () => {
    const composed = `Café Crème ${prefix}`.normalize("NFC");
    const decomposed = `Ünïcødé ${prefix}`.normalize("NFD");
    // Conductor keeps a name as it was sent: one accent composed, the other not.
    const mixed = `Zo\u00eb Cafe\u0301 ${prefix}`;
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt") VALUES
         ('end_usr_${prefix}nfc', '${prefix}-nfc', $1, 'nfc@${prefix}.example', now(), now()),
         ('end_usr_${prefix}nfd', '${prefix}-nfd', $2, 'nfd@${prefix}.example', now(), now()),
         ('end_usr_${prefix}mix', '${prefix}-mix', $3, 'mix@${prefix}.example', now(), now())`,
      [composed, decomposed, mixed],
    );
    for (const form of ["NFC", "NFD"] as const) {
      expect(await search(`café crème ${prefix}`.normalize(form)), form).toEqual({
        ids: [`end_usr_${prefix}nfc`],
        counted: 1,
      });
      expect(await search(`ünïcødé ${prefix}`.normalize(form)), form).toEqual({
        ids: [`end_usr_${prefix}nfd`],
        counted: 1,
      });
    }
    // Copied from the list as it is stored, mixed forms and all.
    expect(await search(mixed)).toEqual({ ids: [`end_usr_${prefix}mix`], counted: 1 });
  });

  it("finds and counts a company name typed without its accents, with plain letters for full-width ones or a ligature, in any case", async () => {
    const names = {
      accents: `Café Müller & Ñandú Ångström ${prefix}`,
      wide: `Ｆｕｌｌ Ｗｉｄｔｈ ${prefix}`,
      ligature: `ﬁne Ligature ${prefix}`,
    };
    await insertNamed("f", names);
    const found = (key: string) => ({ ids: [`end_usr_${prefix}f${key}`], counted: 1 });
    for (const q of [
      "cafe muller & nandu angstrom",
      "MULLER & ÑANDU ANGSTRÖM",
      "angstrom",
      "Cafe\u0301 Mu\u0308ller & N\u0303andu\u0301 A\u030angstro\u0308m",
    ])
      expect(await search(`${q} ${prefix}`), q).toEqual(found("accents"));
    expect(await search(`full width ${prefix}`)).toEqual(found("wide"));
    expect(await search(`ＦＵＬＬ ＷＩＤＴＨ ${prefix}`)).toEqual(found("wide"));
    expect(await search(`fine ligature ${prefix}`)).toEqual(found("ligature"));
    // Folded, a full-width percent sign is LIKE's wildcard: still matched literally.
    expect(await search(`café％${prefix}`)).toEqual({ ids: [], counted: 0 });
  });

  it("finds and counts a name typed with typewriter apostrophes and quotes where it holds typographic ones, and the other way round", async () => {
    const names = {
      curly: `O\u2019Brien \u201CBest\u201D Books ${prefix}`,
      straight: `D'Arcy "Fine" Foods ${prefix}`,
      acute: `O\u00B4Neil \u2033Great\u2033 Goods ${prefix}`,
    };
    await insertNamed("q", names);
    const found = (key: string) => ({ ids: [`end_usr_${prefix}q${key}`], counted: 1 });
    for (const q of [
      `O'Brien "Best" Books`,
      `o\u2019brien \u201Cbest\u201D books`,
      `O\u02BCBrien \u201EBest\u201F Books`,
    ])
      expect(await search(`${q} ${prefix}`), q).toEqual(found("curly"));
    for (const q of [`D\u2019Arcy \u201CFine\u201D Foods`, `d'arcy "fine" foods`, `D\u2018Arcy \u201EFine\u201F Foods`])
      expect(await search(`${q} ${prefix}`), q).toEqual(found("straight"));
    // Marks the decomposition would change: an acute accent typed as an apostrophe, a double prime.
    for (const q of [
      `O'Neil "Great" Goods`,
      `o\u02BBneil \u201Cgreat\u201D goods`,
      `O\u0060Neil \u2033Great\u2033 Goods`,
    ])
      expect(await search(`${q} ${prefix}`), q).toEqual(found("acute"));
  });

  it("finds and counts a name holding marks that draw nothing (as Conductor may hold it) by the name it shows, and by that name pasted with them", async () => {
    const names = {
      marked: `Inv\u2062isible\u00AD Tr\u200Bade\uFEFF Co ${prefix}`,
      // The rest of what Unicode says to ignore, and the interlinear annotation characters.
      ignorable: `Ign\u206Fored\u180E Ma\uFFFArks\u{1D173} Ltd ${prefix}`,
    };
    await insertNamed("i", names);
    const found = { ids: [`end_usr_${prefix}imarked`], counted: 1 };
    expect(await search(`Invisible Trade Co ${prefix}`)).toEqual(found);
    expect(await search(names.marked)).toEqual(found);
    const ignorable = { ids: [`end_usr_${prefix}iignorable`], counted: 1 };
    expect(await search(`Ignored Marks Ltd ${prefix}`)).toEqual(ignorable);
    expect(await search(names.ignorable)).toEqual(ignorable);
    expect(await search(`isible tra`)).toMatchObject({ ids: expect.arrayContaining(found.ids) });
  });

  it("finds a name typed exactly as stored whatever it holds, characters newer than the app's or the database's Unicode tables included, and finds no name by accents alone", async () => {
    // U+1CCD6 and U+1CCD7 (Unicode 16): one runtime decomposes them, another may not.
    const name = `\u{1CCD6}\u{1CCD7} Outlined ${prefix}`;
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
       VALUES ($1, $2, $3, $4, now(), now())`,
      [`end_usr_${prefix}fnew`, `${prefix}-fnew`, name, `new@${prefix}.example`],
    );
    expect(await search(name)).toEqual({ ids: [`end_usr_${prefix}fnew`], counted: 1 });
    // A lone accent folds to nothing, which every name holds: it searches emails, sourceIds and ids only.
    expect(await search("\u0301")).toEqual({ ids: [], counted: 0 });
    expect(await search("\u0301\u0308")).toEqual({ ids: [], counted: 0 });
  });

  it("keeps each name's searchName folded, whoever writes the row: an insert, a rename, a write of searchName itself", async () => {
    const id = `end_usr_${prefix}ftrig`;
    const searchName = async () =>
      (await h.sql<{ searchName: string }>(`SELECT "searchName" FROM "ConductorEndUser" WHERE "id" = $1`, [id]))[0]!
        .searchName;
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
       VALUES ($1, $2, 'Crème Brûlée Ｃｏ', 'trig@example.test', now(), now())`,
      [id, `${prefix}-ftrig`],
    );
    expect(await searchName()).toBe("Creme Brulee Co");
    await h.sql(`UPDATE "ConductorEndUser" SET "companyName" = 'Ærøskøbing Café' WHERE "id" = $1`, [id]);
    expect(await searchName()).toBe("Ærøskøbing Cafe");
    await h.sql(`UPDATE "ConductorEndUser" SET "searchName" = 'anything' WHERE "id" = $1`, [id]);
    expect(await searchName()).toBe("Ærøskøbing Cafe");
  });

  it.each([
    ["a rare term (answered from its matches alone)", " 7", "7", {}],
    ["a rare term, one status", " 7", "7", { status: "connected" }],
    ["a rare term, offboarded included", " 7", "7", { include: "deleted" }],
    // Its last pages, with fewer than 200 matches past the cursor, are rare again.
    ["a term too common for that (left to the planner)", " 1", "60", {}],
    ["a common term, one status, offboarded included", " 2", "60", { status: "needs_attention", include: "deleted" }],
    ["an exact sourceId", "-src-5", "7", {}],
  ])(
    "pages through %s newest first, exactly as a plain scan of the table orders it, and back again",
    async (_label, term, limit, filters) => {
      await seedSearchSet();
      const q = `${set}${term}`;
      const expected = (
        await h.sql<{ id: string }>(
          `SELECT "id" FROM "ConductorEndUser"
         WHERE ("companyName" ILIKE '%' || $1 || '%' OR "email" ILIKE '%' || $1 || '%' OR "sourceId" = $1 OR "id" = $1)
           AND ($2::text IS NULL OR "connectionStatus"::text = $2) AND (($3 AND $2 IS NULL) OR "deletedAt" IS NULL)
         ORDER BY "createdAt" DESC, "id" DESC`,
          [q, (filters as { status?: string }).status ?? null, "include" in filters],
        )
      ).map((row) => row.id);
      const pageAt = async (cursor: string | null) => {
        const query = new URLSearchParams({ q, limit, ...filters, ...(cursor ? { cursor } : {}) });
        const body = (await (await operator.fetch(`/api/end-users?${query}`)).json()) as {
          data: { id: string }[];
          nextCursor: string | null;
          prevCursor: string | null;
        };
        return { ...body, ids: body.data.map((row) => row.id) };
      };
      const pages: Awaited<ReturnType<typeof pageAt>>[] = [];
      let cursor: string | null = null;
      do {
        pages.push(await pageAt(cursor));
        cursor = pages.at(-1)!.nextCursor;
      } while (cursor && pages.flatMap((page) => page.ids).length <= expected.length);
      expect(expected.length).toBeGreaterThan(0);
      expect(pages.flatMap((page) => page.ids)).toEqual(expected);
      expect(pages[0]!.prevCursor).toBeNull();

      // Back from the last page, each previous page is the one that led to it.
      const back = [pages.at(-1)!.ids];
      for (let previous = pages.at(-1)!.prevCursor; previous;) {
        const page = await pageAt(previous);
        back.unshift(page.ids);
        previous = page.prevCursor;
        expect(back.length).toBeLessThanOrEqual(pages.length);
      }
      expect(back).toEqual(pages.map((page) => page.ids));
    },
  );

  it("collects a rare term's page from its matches alone, and leaves a term with 200 matches or more to the planner", async () => {
    await seedSearchSet();
    // " 7" names 111 companies (7, 70–79, 700–799), " 1" names 1,111.
    const term = async (text: string) => (await searchTerm(text))!;
    const rare = await rareMatchIds({ ...(await term(`${set} 7`)), from: null, take: 4, includeDeleted: true });
    expect(rare).toEqual([799, 798, 797, 796].map((i) => `end_usr_${set}00${i}`));
    expect(await rareMatchIds({ ...(await term(`${set} 1`)), from: null, take: 4 })).toBeNull();
  });

  it("keeps the page size through a new search and its Clear link, as the pager and the filters do", async () => {
    const html = (await (await operator.fetch(`/end-users?q=${prefix}&limit=2`)).text()).replaceAll("&amp;", "&");
    const form = /<form role="search"[^]*?<\/form>/.exec(html)?.[0] ?? "";
    expect(form).toContain('<input type="hidden" name="limit" value="2"/>');
    expect(/<a class="button secondary" href="([^"]+)">Clear<\/a>/.exec(form)?.[1]).toBe("/end-users?limit=2");
    const unsized = await (await operator.fetch(`/end-users?q=${prefix}`)).text();
    expect(/<form role="search"[^]*?<\/form>/.exec(unsized)?.[0]).not.toContain('name="limit"');
  });

  it("says each status is as Conductor had it when its row was synced, and what brings a setup finished since", async () => {
    const html = (await (await operator.fetch(`/end-users?q=${prefix}`)).text()).replaceAll("&#x27;", "'");
    const note = /<p class="hint" data-testid="status-as-of">([^]*?)<\/p>/.exec(html)?.[1];
    expect(note).toContain("Each status is as Conductor had it when its row was synced");
    expect(note).toContain("Refresh from Conductor, a Check now on the end-user's page, or the customer's return");
  });

  it("names the table's scrolling region apart from the table, so a screen reader says each name once", async () => {
    const html = await (await operator.fetch(`/end-users?q=${prefix}`)).text();
    expect(html).toMatch(
      /<div class="table-scroll" role="region" aria-label="End-users, scrollable" tabindex="0"><table aria-label="End-users">/,
    );
  });

  it("keeps the page size in the next and previous pages' links, so every page holds as many rows, and the previous page is the one before, titled as the first page when it is", async () => {
    const rows = (html: string) => [...new Set(html.match(/href="\/end-users\/end_usr_[^"]+"/g))];
    const link = (html: string, rel: string) => {
      const tag = new RegExp(`<a [^>]*rel="${rel}"[^>]*>`).exec(html)?.[0];
      return tag && /href="([^"]+)"/.exec(tag)?.[1]?.replaceAll("&amp;", "&");
    };
    const first = await (await operator.fetch(`/end-users?q=${prefix}&limit=2`)).text();
    expect(rows(first)).toHaveLength(2);
    expect(link(first, "prev")).toBeUndefined();
    const next = link(first, "next");
    expect(next).toContain("limit=2");
    const second = await (await operator.fetch(next!)).text();
    expect(rows(second)).toHaveLength(2);
    const previous = link(second, "prev");
    expect(previous).toContain("limit=2");
    const back = await (await operator.fetch(previous!)).text();
    expect(rows(back)).toEqual(rows(first));
    // Its title and links say which page it is, however it was reached; so does a cursor set aside.
    const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
    expect(title(second)).toBe(`End-users: “${prefix}”, a later page — Conductor Onboarding`);
    expect(second).toContain("« First page");
    for (const firstAgain of [
      back,
      await (await operator.fetch(`/end-users?q=${prefix}&limit=2&cursor=junk`)).text(),
    ]) {
      expect(title(firstAgain)).toBe(`End-users: “${prefix}” — Conductor Onboarding`);
      expect(firstAgain).not.toContain("« First page");
      expect(firstAgain).not.toContain("This is a later page.");
    }
  });

  it("links each status chip to the search with that status, and All to the search with none", async () => {
    const html = (await (await operator.fetch(`/end-users?q=${prefix}&status=connected`)).text()).replaceAll(
      "&amp;",
      "&",
    );
    const chip = (label: string) =>
      new RegExp(`<a [^>]*href="([^"]+)"[^>]*>${label}(?:<!-- -->)? <span`).exec(html)?.[1];
    expect(chip("All")).toBe(`/end-users?q=${prefix}`);
    expect(chip("Needs attention")).toBe(`/end-users?q=${prefix}&status=needs_attention`);
    const current = html.match(/<a [^>]*aria-current="page"[^>]*>/g) ?? [];
    expect(current).toHaveLength(1);
    expect(current[0]).toContain(`q=${prefix}&status=connected"`);
  });

  it("keeps a search it could not use in the box, marked invalid and pointing at why, limited to the 200 characters it takes", async () => {
    const tooLong = `Acme ${"x".repeat(200)}`;
    const html = await (await operator.fetch(`/end-users?q=${encodeURIComponent(tooLong)}`)).text();
    const box = /<input [^>]*id="q"[^>]*>/.exec(html)?.[0] ?? "";
    expect(box).toContain(`value="${tooLong}"`);
    expect(box).toContain('aria-invalid="true"');
    expect(box).toContain('aria-describedby="q-hint list-problem"');
    expect(box).toContain('maxLength="200"');
    expect(html).toMatch(
      /id="list-problem"[^>]*>Listed without what could not be used: the search must be at most 200 characters/,
    );
    const fine = /<input [^>]*id="q"[^>]*>/.exec(await (await operator.fetch(`/end-users?q=${prefix}`)).text())?.[0];
    expect(fine).not.toContain("aria-invalid");
  });

  it("says a page past the last one holds no more end-users, and links to the first page", async () => {
    const pastTheEnd = encodeCursor("end-users", {
      createdAt: new Date("1970-01-02T00:00:00.000Z"),
      id: "end_usr_first",
    });
    const page = await (await operator.fetch(`/end-users?q=${prefix}&cursor=${pastTheEnd}`)).text();
    expect(page).toContain("No more end-users after this point.");
    expect(page).not.toContain("No cached end-user matches");
    expect(page).toMatch(/href="\/end-users\?q=[^"]*">Back to the first page/);
  });

  it("counts a search's 200 characters composed: 150 accents typed as marks of their own are taken, 201 characters are not", async () => {
    const decomposed = "e\u0301".repeat(150);
    const taken = await operator.fetch(`/api/end-users?q=${encodeURIComponent(decomposed)}`);
    expect(taken.status).toBe(200);
    expect((await taken.json()).data).toEqual([]);
    const tooLong = await operator.fetch(`/api/end-users?q=${"\u00e9".repeat(201)}`);
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.fields).toEqual({ q: ["must be at most 200 characters"] });
  });

  it("refuses a cursor with anything added to it, and names a repeated status", async () => {
    const { nextCursor } = (await (await operator.fetch("/api/end-users?limit=1")).json()) as { nextCursor: string };
    expect((await operator.fetch(`/api/end-users?limit=1&cursor=${nextCursor}`)).status).toBe(200);
    for (const forged of [`${nextCursor}!!!`, `${nextCursor}==`, `${nextCursor}.`]) {
      const response = await operator.fetch(`/api/end-users?limit=1&cursor=${encodeURIComponent(forged)}`);
      expect(response.status).toBe(400);
      expect((await response.json()).error.fields).toHaveProperty("cursor");
    }
    const repeated = await operator.fetch("/api/end-users?status=connected&status=connected");
    expect((await repeated.json()).error.fields).toEqual({ status: ["must be given once"] });
  });

  it.each([
    ["/api/end-users?include=deleted&include=deleted", "include"],
    ["/api/audit?action=END_USER_CREATED&action=END_USER_CREATED", "action"],
    ["/api/end-users/lookup?provider=altur&provider=altur&id=x", "provider"],
  ])("names a choice given twice as given twice, not as an unknown choice: %s", async (path, field) => {
    const response = await operator.fetch(path);
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields).toEqual({ [field]: ["must be given once"] });
  });

  it.each([
    ["limit 0", "limit=0", "limit"],
    ["limit 101", "limit=101", "limit"],
    ["a non-numeric limit", "limit=ten", "limit"],
    ["a hexadecimal limit", "limit=0x10", "limit"],
    ["a limit in exponent notation", "limit=1e1", "limit"],
    ["a limit with a space", "limit=%205", "limit"],
    ["a repeated limit", "limit=1&limit=2", "limit"],
    ["a forged cursor", "cursor=forged", "cursor"],
    ["a 201-character search", `q=${"x".repeat(201)}`, "q"],
    ["an unknown parameter", "sort=name", "sort"],
  ])("rejects %s with 400 naming the field", async (_label, query, field) => {
    const response = await operator.fetch(`/api/end-users?${query}`);
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fields)).toContain(field);
  });
});
