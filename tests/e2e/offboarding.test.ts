import { describe, expect, inject, it } from "vitest";
import { count, sql, userIdFor } from "../support/db";
import { emulator } from "../support/emulator";
import { onboardedCustomer, signIn, uniqueEmail } from "../support/http";
import { accessibilityViolations, chromiumForThisFile, screenshot, watchedPage } from "./browser";
import { AuditPage } from "./pages/audit-page";
import { EndUserPage } from "./pages/end-user-page";
import { EndUsersPage } from "./pages/end-users-page";
import { OnboardingPage } from "./pages/onboarding-page";
import { SignInPage } from "./pages/sign-in-page";

const browser = chromiumForThisFile();
const deletesOf = (id: string) => emulator.calls({ provider: "conductor", method: "DELETE", path: `/end-users/${id}` });
const deletedAt = async (id: string) =>
  (await sql<{ deletedAt: Date | null }>(`SELECT "deletedAt" FROM "ConductorEndUser" WHERE id = $1`, [id]))[0]!
    .deletedAt;

describe("offboarding in Chromium", () => {
  it("an operator offboards after typing the company name: a wrong name is refused, then the banner, the list and the audit trail show it", async () => {
    const { endUser } = await onboardedCustomer("e2e-offboard", "Offboard Me Ltd");
    const { page, problems } = await watchedPage(browser());
    await new SignInPage(page).open(`/end-users/${endUser.id}`);
    await new SignInPage(page).signInAs(inject("stack").operatorEmail);
    const detail = new EndUserPage(page);
    await detail.live().waitFor();
    expect(await page.getByText("QuickBooks Desktop stops syncing").count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);

    await detail.offboard("offboard me ltd");
    await expect.poll(() => detail.offboardError().innerText()).toContain("must be the company name exactly");
    expect(await detail.offboardConfirmation().getAttribute("aria-invalid")).toBe("true");
    expect(await deletedAt(endUser.id)).toBeNull();
    expect(await deletesOf(endUser.id)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "offboard-refused");

    await detail.offboard("Offboard Me Ltd");
    await detail.tombstoneBanner().waitFor();
    expect(await detail.tombstoneBanner().innerText()).toContain(inject("stack").operatorEmail);
    expect(await deletedAt(endUser.id)).toBeInstanceOf(Date);
    expect(await deletesOf(endUser.id)).toHaveLength(1);
    expect(await detail.offboardButton().count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "offboarded-banner");

    const list = new EndUsersPage(page);
    await list.open(`?q=${endUser.sourceId}`);
    await list.empty().waitFor();
    await list.showOffboarded().click();
    await page.waitForURL(/include=deleted/);
    await expect.poll(() => list.rows().count()).toBe(1);
    expect(await list.rows().first().innerText()).toMatch(/Offboard Me Ltd[\s\S]*offboarded/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "end-users-offboarded");

    const audit = new AuditPage(page);
    await audit.open(`?endUserId=${endUser.id}`);
    await expect.poll(() => audit.rows().first().innerText()).toContain("Offboarded: deleted in Conductor");
    expect(await audit.rows().first().innerText()).toContain(inject("stack").operatorEmail);
    expect(await audit.download().getAttribute("href")).toBe(`/api/audit.csv?endUserId=${endUser.id}`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "audit-trail");
    await audit.action().selectOption("END_USER_TOMBSTONED");
    await audit.filter().click();
    await audit.empty().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "audit-empty");
    expect(problems).toEqual([]);
  });

  it("a customer offboarded by an operator connects again from /onboarding and gets exactly one new end-user", async () => {
    const { page, problems } = await watchedPage(browser());
    const email = uniqueEmail("e2e-comeback");
    await new SignInPage(page).open("/onboarding");
    await new SignInPage(page).signInAs(email);
    const onboarding = new OnboardingPage(page);
    await onboarding.companyName().fill("First Stay Co");
    await onboarding.submit().click();
    await onboarding.setUp().waitFor();
    const firstId = await onboarding.conductorId();

    const operator = await signIn(inject("stack").operatorEmail);
    expect((await operator.fetch(`/api/end-users/${firstId}`, { method: "DELETE" })).status).toBe(200);

    await onboarding.open();
    await onboarding.offboardedBefore().waitFor();
    expect(await onboarding.offboardedBefore().innerText()).toContain("First Stay Co");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "onboarding-after-offboarding");

    await onboarding.companyName().fill("Second Stay Co");
    const since = Date.now();
    await page.locator("main form.stack").evaluate((form: HTMLFormElement) => {
      form.requestSubmit();
      form.requestSubmit();
    });
    await onboarding.setUp().waitFor();
    const secondId = await onboarding.conductorId();
    expect(secondId).not.toBe(firstId);
    const posts = (await emulator.calls({ provider: "conductor", method: "POST" })).filter(
      (call) => Date.parse(call.at) >= since,
    );
    expect(posts).toHaveLength(1);
    const sourceId = await userIdFor(email);
    expect(
      await count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1 AND "deletedAt" IS NULL`, [sourceId]),
    ).toBe(1);
    expect(await count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toBe(2);

    const old = new EndUserPage(page);
    await old.open(firstId);
    await old.tombstoneBanner().waitFor();
    expect(await old.tombstoneBanner().innerText()).toContain("connect your company again");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "customer-tombstone");
    expect(problems).toEqual([]);
  });
});
