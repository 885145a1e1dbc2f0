import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import { h } from "../support/harness";
import { expectHealthy, test } from "./fixtures";
import { EndUsersPage } from "./pages/end-users-page";

const deletesOf = (id: string) =>
  h.emulator.calls({ provider: "conductor", method: "DELETE", path: `/end-users/${id}` });
const deletedAt = async (id: string) =>
  (await h.sql<{ deletedAt: Date | null }>(`SELECT "deletedAt" FROM "ConductorEndUser" WHERE id = $1`, [id]))[0]!
    .deletedAt;

describe("offboarding in Chromium", () => {
  test("an operator offboards after typing the company name: a wrong name is refused with the focus on its field, then the banner takes the focus, and the list (no connection status) and the audit trail show it", async ({
    operator: { page },
    endUserPage: detail,
    endUsersPage: list,
    auditPage: audit,
  }) => {
    const { endUser } = await h.onboardedCustomer("e2e-offboard", "Offboard Me Ltd");
    await detail.open(endUser.id);
    await detail.live().waitFor();
    expect(await page.getByText("QuickBooks Desktop stops syncing").count()).toBe(1);
    await expectHealthy(page);

    // An empty box is told beside it in the page's words, not left to the browser's bubble.
    await detail.offboard("");
    await expect.poll(() => detail.offboardError().innerText()).toContain("Nothing was offboarded.");
    await detail.offboard("offboard me ltd");
    await expect.poll(() => detail.offboardError().innerText()).toContain("must be the company name:");
    expect(await detail.offboardConfirmation().getAttribute("aria-invalid")).toBe("true");
    // The focus is where the name is typed again.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("offboard-confirmation");
    expect(await deletedAt(endUser.id)).toBeNull();
    expect(await deletesOf(endUser.id)).toEqual([]);
    await expectHealthy(page, "offboard-refused");

    await detail.offboard("Offboard Me Ltd");
    await detail.tombstoneBanner().waitFor();
    // The banner that took the form's place takes the focus, to be read out.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const focused = document.activeElement;
          return (
            focused?.matches('[data-testid="submit-outcome"]') &&
            focused.querySelector('[data-testid="tombstone-banner"]') !== null
          );
        }),
      )
      .toBe(true);
    expect(await detail.tombstoneBanner().innerText()).toContain(h.stack.operatorEmail);
    expect(await deletedAt(endUser.id)).toBeInstanceOf(Date);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect(await detail.offboardButton().count()).toBe(0);
    await expectHealthy(page, "offboarded-banner");

    await list.open(`?q=${endUser.sourceId}`);
    await list.empty().waitFor();
    await list.showOffboarded().click();
    await page.waitForURL(/include=deleted/);
    await expect.poll(() => list.rows().count()).toBe(1);
    expect(await list.rows().first().innerText()).toMatch(/Offboard Me Ltd[\s\S]*offboarded/);
    // Offboarding removed its connections: the row says so rather than "Not started".
    expect(await list.rows().first().locator("td").nth(3).innerText()).toBe("None: offboarded");
    await expectHealthy(page, "end-users-offboarded");

    await audit.open(`?endUserId=${endUser.id}`);
    await expect.poll(() => audit.rows().first().innerText()).toContain("Offboarded: deleted in Conductor");
    expect(await audit.rows().first().innerText()).toContain(h.stack.operatorEmail);
    expect(await audit.download().getAttribute("href")).toBe(`/api/audit.csv?endUserId=${endUser.id}`);
    await expectHealthy(page, "audit-trail");
    await audit.action().selectOption("END_USER_TOMBSTONED");
    await audit.filter().click();
    await audit.empty().waitFor();
    await expectHealthy(page, "audit-empty");
  });

  test("an operator who offboards an end-user another operator offboarded meanwhile is shown that offboarding's record, not the live end-user", async ({
    operator: { page },
    endUserPage: detail,
  }) => {
    const { endUser } = await h.onboardedCustomer("e2e-offboard-twice", "Offboarded Twice Ltd");
    await detail.open(endUser.id);
    await detail.live().waitFor();
    // The panel's reads go unanswered: only the Offboard button's answer can bring the page up to date.
    await page.route(
      (url) => url.pathname === `/api/end-users/${endUser.id}`,
      () => new Promise<void>(() => {}),
    );
    const other = await h.operator();
    expect((await other.fetch(`/api/end-users/${endUser.id}`, { method: "DELETE" })).status).toBe(200);

    await detail.offboard("Offboarded Twice Ltd");
    await detail.tombstoneBanner().waitFor();
    expect(await detail.offboardButton().count()).toBe(0);
    expect(await page.getByRole("button", { name: "Check now" }).count()).toBe(0);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    await expectHealthy(page);
  });

  test("a customer offboarded by an operator connects again from /onboarding and gets exactly one new end-user", async ({
    customer: { page, email },
    onboardingPage: onboarding,
    endUserPage: old,
  }) => {
    await onboarding.companyName().fill("First Stay Co");
    await onboarding.submit().click();
    await onboarding.setUp().waitFor();
    const firstId = await onboarding.conductorId();

    const operator = await h.operator();
    expect((await operator.fetch(`/api/end-users/${firstId}`, { method: "DELETE" })).status).toBe(200);

    await onboarding.open();
    await onboarding.offboardedBefore().waitFor();
    expect(await onboarding.offboardedBefore().innerText()).toContain("First Stay Co");
    // The former name is offered again, to keep or change.
    expect(await onboarding.companyName().inputValue()).toBe("First Stay Co");
    await expectHealthy(page, "onboarding-after-offboarding");

    await onboarding.companyName().fill("Second Stay Co");
    const since = Date.now();
    await page.locator("main form.stack").evaluate((form: HTMLFormElement) => {
      form.requestSubmit();
      form.requestSubmit();
    });
    await onboarding.setUp().waitFor();
    const secondId = await onboarding.conductorId();
    expect(secondId).not.toBe(firstId);
    expect(await h.emulator.calls({ provider: "conductor", method: "POST", since })).toHaveLength(1);
    const sourceId = await h.userIdFor(email);
    expect(
      await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1 AND "deletedAt" IS NULL`, [sourceId]),
    ).toBe(1);
    expect(await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toBe(2);

    await old.open(firstId);
    await old.tombstoneBanner().waitFor();
    // The old record points to the company as it is set up now, not to setting it up again.
    expect(await old.tombstoneBanner().innerText()).toContain(
      "Your company is set up again since, as Second Stay Co: its connection is on Onboarding.",
    );
    await expectHealthy(page, "customer-tombstone");
  });

  /** An onboarded customer's end-user whose cached row a refresh flagged missing from Conductor's list. */
  const flaggedMissing = async (label: string, company: string, cachedName = company) => {
    const { endUser } = await h.onboardedCustomer(label, company);
    await h.sql(`UPDATE "ConductorEndUser" SET "missingUpstreamSince" = now(), "companyName" = $2 WHERE id = $1`, [
      endUser.id,
      cachedName,
    ]);
    return endUser;
  };
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? null);

  test("Mark offboarded by keyboard: a row Conductor still has comes back refreshed and the page says why, a row it lost leaves and the page says so, the focus on that account each time", async ({
    operator: { page },
    endUsersPage: list,
  }) => {
    const still = await flaggedMissing("e2e-still-listed", "Still Listed Co", "Old Listed Name");
    await list.open(`?q=${still.sourceId}`);
    await list.markOffboarded().focus();
    await page.keyboard.press("Enter");
    const notice = page.getByTestId("still-in-conductor");
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(
      /Still Listed Co was not marked offboarded: Conductor still has it[\s\S]*Conductor request id: req_/,
    );
    await expect.poll(() => focused(page)).toBe("submit-outcome");
    const row = await list.rows().first().innerText();
    expect(row).toContain("Still Listed Co");
    expect(row).not.toMatch(/Old Listed Name|missing upstream/);
    expect(await list.markOffboarded().count()).toBe(0);
    expect(await deletedAt(still.id)).toBeNull();
    await expectHealthy(page, "mark-offboarded-still-in-conductor");

    const lost = await flaggedMissing("e2e-lost-upstream", "Lost Upstream Co");
    await h.conductor.endUsers.delete(lost.id);
    const since = Date.now();
    await list.open(`?q=${lost.sourceId}`);
    await list.markOffboarded().focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("marked-offboarded").waitFor();
    expect(await page.getByTestId("marked-offboarded").innerText()).toContain(
      "Lost Upstream Co is marked offboarded: Conductor confirmed it is gone",
    );
    await expect.poll(() => focused(page)).toBe("submit-outcome");
    expect(await list.rows().count()).toBe(0);
    expect(await deletedAt(lost.id)).toBeInstanceOf(Date);
    // Conductor was asked, not told to delete again.
    expect(await h.emulator.calls({ provider: "conductor", path: `/end-users/${lost.id}`, since })).toMatchObject([
      { method: "GET", status: 404 },
    ]);
    await expectHealthy(page, "mark-offboarded-gone");
  });

  test("without JavaScript, Mark offboarded on a row Conductor still has answers with the refreshed list and says why nothing was marked", async ({
    pageWithoutScript,
  }) => {
    const still = await flaggedMissing("e2e-still-no-script", "Still Here No Script Co", "Old No Script Name");
    const page = await pageWithoutScript(await h.operator());
    const list = new EndUsersPage(page);
    await list.open(`?q=${still.sourceId}`);
    await list.markOffboarded().click();
    await page.waitForLoadState("load");
    const main = page.locator("main");
    await expect
      .poll(() => main.innerText())
      .toContain("Still Here No Script Co was not marked offboarded: Conductor still has it");
    expect(await list.rows().first().innerText()).not.toMatch(/Old No Script Name|missing upstream/);
    expect(await deletedAt(still.id)).toBeNull();
  });
});
