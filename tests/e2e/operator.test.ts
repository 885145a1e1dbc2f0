import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "../support/db";
import { emulator } from "../support/emulator";
import { onboardedCustomer } from "../support/http";
import { accessibilityViolations, chromiumForThisFile, screenshot, watchedPage, type Watched } from "./browser";
import { EndUserPage } from "./pages/end-user-page";
import { EndUsersPage } from "./pages/end-users-page";
import { SignInPage } from "./pages/sign-in-page";

const browser = chromiumForThisFile();
let operator: Watched;
const tag = `e2e${Date.now()}`;

beforeAll(async () => {
  await sql(
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
     SELECT 'end_usr_${tag}' || lpad(i::text, 3, '0'), '${tag}-' || i, 'Paged ${tag} Company ' || lpad(i::text, 2, '0'), 'paged' || i || '@${tag}.example',
            now() - i * interval '1 minute', now()
     FROM generate_series(1, 30) AS i`,
  );
  operator = await watchedPage(browser());
  await new SignInPage(operator.page).open("/end-users");
  await new SignInPage(operator.page).signInAs(inject("stack").operatorEmail);
  await operator.page.waitForURL(/\/end-users$/);
});
afterEach(() => emulator.disarm());

describe("an operator in Chromium", () => {
  it("lists, searches, pages and opens an end-user", async () => {
    const { page, problems } = operator;
    const list = new EndUsersPage(page);
    await list.rows().first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "end-users");

    await list.searchFor(`Paged ${tag}`);
    await expect.poll(() => list.rows().count()).toBe(25);
    expect(await list.rows().first().innerText()).toContain(`Paged ${tag} Company 01`);
    await list.nextPage().click();
    await page.waitForURL(/cursor=/);
    await expect.poll(() => list.rows().count()).toBe(5);
    expect(await list.rows().last().innerText()).toContain(`Paged ${tag} Company 30`);
    await screenshot(page, "end-users-page-2");

    await list.openEndUser(`Paged ${tag} Company 30`);
    const detail = new EndUserPage(page);
    await expect.poll(() => detail.heading().innerText()).toBe(`Paged ${tag} Company 30`);
    // Seeded straight into the cache, so Conductor does not know it: the page says so and shows the cache.
    await expect.poll(() => detail.staleNotice().innerText()).toContain("Conductor no longer has this end-user.");
    expect(problems).toEqual([]);
  });

  it("sees the cached copy and a notice with the request id when Conductor fails", async () => {
    const { endUser } = await onboardedCustomer("e2e-fallback", "Failing Upstream AG");
    const { page, problems } = operator;
    const detail = new EndUserPage(page);

    await detail.open(endUser.id);
    await detail.live().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "end-user-operator");

    await emulator.arm({
      provider: "conductor",
      method: "GET",
      path: `/end-users/${endUser.id}`,
      status: 500,
      times: 10,
    });
    await detail.open(endUser.id);
    const notice = await detail.staleNotice().innerText();
    expect(notice).toContain("Conductor had a problem answering.");
    expect(notice).toMatch(/Conductor request id: req_[a-z0-9]+/);
    await expect.poll(() => detail.heading().innerText()).toBe("Failing Upstream AG");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "end-user-stale");
    expect(problems).toEqual([]);
  });

  it("links a Dify end-user from the detail page", async () => {
    const { endUser } = await onboardedCustomer("e2e-link", "Linked In Browser");
    const { page, problems } = operator;
    await new EndUserPage(page).open(endUser.id);
    const dify = page.getByTestId("link-dify");
    await dify.getByLabel("Dify end-user id").fill("not an id");
    await dify.getByRole("button", { name: "Link Dify end-user" }).click();
    await expect.poll(() => dify.locator(".field-error").innerText()).toContain("must be a Dify end-user id");
    await dify.getByLabel("Dify end-user id").fill("d1000000-0000-4000-8000-000000000001");
    await dify.getByRole("button", { name: "Link Dify end-user" }).click();
    await expect.poll(() => page.getByTestId("link-dify").innerText()).toContain("differs from our sourceId");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "end-user-linked");
    expect(problems).toEqual([]);
  });
});
