import { afterEach, describe, expect } from "vitest";
import { h } from "../support/harness";
import { expectHealthy, test } from "./fixtures";
import { checkedMessage } from "../support/connect";

afterEach(() => h.emulator.disarm());

/** 30 companies "Paged <tag> Company 01"… (01 newest), straight into the cache: Conductor does not know them. */
async function seedPagedCompanies(tag: string) {
  await h.sql(
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
     SELECT 'end_usr_${tag}' || lpad(i::text, 3, '0'), '${tag}-' || i, 'Paged ${tag} Company ' || lpad(i::text, 2, '0'), 'paged' || i || '@${tag}.example',
            now() - i * interval '1 minute', now()
     FROM generate_series(1, 30) AS i`,
  );
}

describe("an operator in Chromium", () => {
  test("filtering the audit trail again keeps a since given as an instant, and shows one that is not a date to correct", async ({
    operator: { page },
    auditPage: audit,
  }) => {
    const instant = "2026-11-01T09:30:00Z";
    await audit.open(`?since=${instant}`);
    expect(await audit.since().inputValue()).toBe(instant);
    await audit.action().selectOption("END_USER_CREATED");
    await audit.filter().click();
    await page.waitForURL(/action=END_USER_CREATED/);
    expect(new URL(page.url()).searchParams.get("since")).toBe(instant);
    await expectHealthy(page);

    for (const refused of ["2026-13-45", "yesterday"]) {
      await audit.open(`?since=${refused}`);
      expect(await audit.since().inputValue()).toBe(refused);
      expect(await audit.since().getAttribute("aria-invalid")).toBe("true");
    }
    await audit.since().fill("2026-11-01");
    await audit.filter().click();
    await page.waitForURL(/since=2026-11-01(&|$)/);
    expect(await audit.since().getAttribute("type")).toBe("date");
    expect(await audit.since().inputValue()).toBe("2026-11-01");
    await expectHealthy(page);
  });

  test("an id no end-user has shows the end-user not-found page, leading back to the list", async ({
    operator: { page },
  }) => {
    const response = await page.goto(`${h.stack.appOrigin}/end-users/end_usr_nope0000000000`);
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "End-user not found" }).waitFor();
    await page.getByRole("link", { name: "← All end-users" }).click();
    await page.waitForURL((url) => url.pathname === "/end-users");
    await expectHealthy(page);
  });

  test("lists, searches, pages and opens an end-user", async ({ operator: { page }, endUsersPage, endUserPage }) => {
    const tag = `e2e${Date.now()}`;
    await seedPagedCompanies(tag);
    await endUsersPage.open();
    await endUsersPage.rows().first().waitFor();
    await expectHealthy(page, "end-users");
    // What matches in part and what only in full is said where the search is typed.
    expect(await page.locator(`#${await endUsersPage.search().getAttribute("aria-describedby")}`).innerText()).toBe(
      "Any part of a company name or email; a sourceId, end_usr_… id, or linked Altur or Dify id in full.",
    );

    await endUsersPage.searchFor(`Paged ${tag}`);
    await expect.poll(() => endUsersPage.rows().count()).toBe(25);
    expect(await endUsersPage.rows().first().innerText()).toContain(`Paged ${tag} Company 01`);
    await endUsersPage.nextPage().click();
    await page.waitForURL(/cursor=/);
    await expect.poll(() => endUsersPage.rows().count()).toBe(5);
    expect(await endUsersPage.rows().last().innerText()).toContain(`Paged ${tag} Company 30`);
    await expectHealthy(page, "end-users-page-2");

    await endUsersPage.openEndUser(`Paged ${tag} Company 30`);
    await expect.poll(() => endUserPage.heading().innerText()).toBe(`Paged ${tag} Company 30`);
    // Seeded straight into the cache, so Conductor does not know it: the page says so and shows the cache.
    await expect.poll(() => endUserPage.staleNotice().innerText()).toContain("Conductor no longer has this end-user.");
    await expectHealthy(page);
  });

  test("a search and a page change by keyboard are said: the title names the view and the focus goes to how many match, even when the link pressed is gone", async ({
    operator: { page },
    endUsersPage,
  }) => {
    const tag = `e2e${Date.now()}v`;
    await seedPagedCompanies(tag);
    await endUsersPage.open();
    await endUsersPage.search().fill(`Paged ${tag}`);
    await endUsersPage.search().press("Enter");
    await page.waitForURL(/[?&]q=/);
    expect(await page.title()).toBe(`End-users: “Paged ${tag}” — Conductor Onboarding`);
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid);
    await expect.poll(focused).toBe("list-summary");
    expect(await page.getByTestId("list-summary").innerText()).toBe(`30 end-users match “Paged ${tag}”, newest first.`);

    // Opened in a new tab, the next page leaves this one as it is: nothing here waits to take the focus.
    const opened = page.context().waitForEvent("page");
    await endUsersPage.nextPage().click({ modifiers: ["Control"] });
    await (await opened).close();
    expect(await page.evaluate(() => sessionStorage.getItem("focus-after-submit"))).toBeNull();

    // The last page has no "Next page" link: the focus goes to the summary, not to the page's top.
    await endUsersPage.nextPage().focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/cursor=/);
    await expect.poll(() => page.title()).toBe(`End-users: “Paged ${tag}”, a later page — Conductor Onboarding`);
    await expect.poll(focused).toBe("list-summary");
    expect(await page.getByTestId("list-summary").innerText()).toContain("This is a later page.");
    expect(await endUsersPage.nextPage().count()).toBe(0);
    await expectHealthy(page);

    // A list of one page has no pager: no empty "Pages" landmark.
    await endUsersPage.searchFor(`Paged ${tag} Company 07`);
    await expect.poll(() => endUsersPage.rows().count()).toBe(1);
    expect(await page.getByRole("navigation", { name: "Pages" }).count()).toBe(0);
  });

  test("the list's ages count on while the page stays open, from the server's clock, not the browser's", async ({
    operator: { page },
    endUsersPage,
  }) => {
    const tag = `e2e${Date.now()}a`;
    await seedPagedCompanies(tag);
    // A browser whose clock is a day behind: the ages still start where the server put them.
    await page.clock.install({ time: Date.now() - 86_400_000 });
    await endUsersPage.open(`?q=${encodeURIComponent(`Paged ${tag} Company 01`)}`);
    const synced = endUsersPage.rows().first().locator("time");
    expect(await synced.innerText()).toMatch(/^(just now|\d+ seconds ago)$/);
    await expectHealthy(page);
    await page.clock.runFor(125_000);
    await expect.poll(() => synced.innerText()).toBe("2 minutes ago");
    await page.clock.runFor(3_600_000);
    await expect.poll(() => synced.innerText()).toBe("1 hour ago");
    await expectHealthy(page);
  });

  test("a status filter, Clear, Show offboarded and the audit trail's Clear, pressed by keyboard, take the focus to how many match, as a search does", async ({
    operator: { page },
    endUsersPage,
    auditPage,
  }) => {
    const tag = `e2e${Date.now()}f`;
    await seedPagedCompanies(tag);
    await endUsersPage.open(`?q=${encodeURIComponent(`Paged ${tag}`)}`);
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid);
    const press = async (link: ReturnType<typeof page.getByRole>, url: RegExp) => {
      await link.focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(url);
    };
    const chips = page.getByRole("navigation", { name: "Connection status" });
    await press(chips.getByRole("link", { name: /^Not started/ }), /status=not_started/);
    await expect.poll(focused).toBe("list-summary");
    await press(page.getByRole("link", { name: "Clear", exact: true }), /\/end-users\?status=not_started$/);
    await expect.poll(focused).toBe("list-summary");
    await press(endUsersPage.showOffboarded(), /include=deleted/);
    await expect.poll(focused).toBe("list-summary");
    await expectHealthy(page);

    await auditPage.open("?action=END_USER_CREATED");
    await press(page.getByRole("link", { name: "Clear", exact: true }), /\/audit$/);
    await expect.poll(focused).toMatch(/^audit-(summary|empty)$/);
    await expectHealthy(page);
  });

  test("an audit filter that cannot be read takes the focus to what to correct, and a filter that can to what it shows", async ({
    operator: { page },
    auditPage: audit,
  }) => {
    await audit.open();
    const endUserId = page.getByLabel("End-user id");
    await endUserId.fill("bad!!");
    await endUserId.press("Enter");
    await page.waitForURL(/endUserId=/);
    expect(await page.title()).toBe("Audit trail, filtered — Conductor Onboarding");
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent);
    await expect
      .poll(focusedText)
      .toBe("These filters could not be used: End-user id. Correct them as said beside each, and filter again.");

    await endUserId.fill("");
    await audit.action().selectOption("END_USER_CREATED");
    await audit.filter().click();
    await page.waitForURL(/action=END_USER_CREATED/);
    await expect
      .poll(focusedText)
      .toMatch(/^(\d+ matching events? on this page, newest first|No event matches these filters)/);
    await expectHealthy(page);
  });

  test("sees the cached copy and a notice with the request id when Conductor fails", async ({
    operator: { page },
    endUserPage,
  }) => {
    const { endUser } = await h.onboardedCustomer("e2e-fallback", "Failing Upstream AG");
    await endUserPage.open(endUser.id);
    await endUserPage.live().waitFor();
    await expectHealthy(page, "end-user-operator");

    await h.emulator.arm({
      provider: "conductor",
      method: "GET",
      path: `/end-users/${endUser.id}`,
      status: 500,
      times: 10,
    });
    await endUserPage.open(endUser.id);
    const notice = await endUserPage.staleNotice().innerText();
    expect(notice).toContain("Conductor had a problem answering.");
    expect(notice).toMatch(/Conductor request id: req_[a-z0-9]+/);
    await expect.poll(() => endUserPage.heading().innerText()).toBe("Failing Upstream AG");
    await expectHealthy(page, "end-user-stale");
  });

  test("refreshes from Conductor by keyboard, the button keeping the focus while it runs and after", async ({
    operator: { page },
  }) => {
    const button = page.getByRole("button", { name: "Refresh from Conductor" });
    await button.focus();
    await page.keyboard.press("Enter");
    await page.getByText(/^Refreshed \d+ end-users? from Conductor/).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Refresh from Conductor");
  });

  test("without JavaScript, an end-user's page says it shows the cached copy, Send connect link says where it went, and Check now says what it found, each page starting at what it came to", async ({
    pageWithoutScript,
  }) => {
    const { endUser } = await h.onboardedCustomer("e2e-no-script", "No Script Operator Co");
    const page = await pageWithoutScript(await h.operator());
    // Conductor answers slowly at first: the cached copy is sent first and Conductor's streams in
    // behind it. After the post it answers at once, and its copy is in the page from the start.
    await h.emulator.arm({
      provider: "conductor",
      method: "GET",
      path: `/end-users/${endUser.id}`,
      delayMs: 700,
      times: 1,
    });
    await page.goto(`${h.stack.appOrigin}/end-users/${endUser.id}`);
    const main = page.locator("main");
    await expect.poll(() => main.innerText()).toContain("JavaScript is off");
    expect(await main.innerText()).not.toContain("while Conductor is asked for a fresh one");
    // The buttons shown belong to the cached copy; Conductor's copy came after it, hidden. The
    // answer to a post renders whichever copy is ready first, and each form's outcome is found by
    // its key there: the same in both copies, so it is shown either way.
    for (const name of ["Send connect link", "Check now"]) {
      const keys = page.locator(`form:has(button:text-is("${name}")) input[name="$ACTION_KEY"]`);
      const values = await keys.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
      expect(values, name).toHaveLength(2);
      expect(new Set(values).size, name).toBe(1);
    }

    // The page a post comes back as starts at its outcome, not at the top, twenty tab stops above it.
    const focusedNotice = () => page.evaluate(() => document.activeElement?.closest(".notice")?.textContent ?? null);
    await page.getByRole("button", { name: "Send connect link" }).click();
    await page.waitForLoadState("load");
    await expect.poll(() => main.innerText()).toContain(`We emailed a setup link to ${endUser.email}`);
    await expect.poll(focusedNotice).toContain(`We emailed a setup link to ${endUser.email}`);

    await page.getByRole("button", { name: "Check now" }).click();
    await page.waitForLoadState("load");
    await expect.poll(() => main.innerText()).toMatch(checkedMessage("Not started"));
    await expect.poll(focusedNotice).toMatch(checkedMessage("Not started"));

    // A mistyped name to offboard: the page starts at its field, to type it again.
    await page.getByLabel(/Type the company name/).fill("No Script Operator");
    await page.getByRole("button", { name: "Offboard" }).click();
    await page.waitForLoadState("load");
    await page.locator("#offboard-confirmation-error").waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("offboard-confirmation");

    // Filters the audit trail cannot use: the page starts at the sentence that says which.
    await page.goto(`${h.stack.appOrigin}/audit?endUserId=${encodeURIComponent("not an id")}`);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(
      "These filters could not be used: End-user id.",
    );
  });

  test("links a Dify end-user from the detail page, after showing a malformed id's problem (focus on the field), and unlinks it once asked which", async ({
    operator: { page },
    endUserPage,
  }) => {
    const { endUser } = await h.onboardedCustomer("e2e-link", "Linked In Browser");
    await endUserPage.open(endUser.id);
    const dify = page.getByTestId("link-dify");
    // Empty, it is the server's problem told beside the field, as for any other form, not the browser's tooltip.
    await dify.getByRole("button", { name: "Link Dify end-user" }).click();
    await expect.poll(() => dify.locator(".field-error").innerText()).toBe("The id must not be empty.");
    expect(await dify.getByLabel("Dify end-user id").getAttribute("aria-invalid")).toBe("true");
    await dify.getByLabel("Dify end-user id").fill("not an id");
    await dify.getByRole("button", { name: "Link Dify end-user" }).click();
    await expect.poll(() => dify.locator(".field-error").innerText()).toContain("must be a Dify end-user id");
    // The problem is told beside the field, and the field has the focus to correct it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("dify-external-id");
    await dify.getByLabel("Dify end-user id").fill("d1000000-0000-4000-8000-000000000001");
    await dify.getByRole("button", { name: "Link Dify end-user" }).click();
    await expect.poll(() => page.getByTestId("link-dify").innerText()).toContain("differs from our sourceId");
    // What the link said stays on screen, and the focus with it, though the form it came from is gone.
    const outcome = page.getByTestId("link-dify-outcome");
    await expect.poll(() => outcome.innerText()).toContain("Linked Dify end-user d1000000-0000-4000-8000-000000000001");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")))
      .toBe("link-dify-outcome");
    await expectHealthy(page, "end-user-linked");

    // Unlinking asks which end-user first: one click opens the question, a second one unlinks.
    const unlink = dify.getByRole("button", { name: "Unlink the Dify end-user" });
    expect(await unlink.isVisible()).toBe(false);
    await dify.getByText("Unlink Dify…").click();
    expect(await dify.locator("details.confirm").innerText()).toContain("d1000000-0000-4000-8000-000000000001");
    await expectHealthy(page);
    await unlink.click();
    await expect.poll(() => page.getByTestId("link-dify").innerText()).toContain("No Dify end-user linked.");
    await expect.poll(() => outcome.innerText()).toBe("Unlinked the Dify end-user.");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("link-dify-outcome");
  });
});
