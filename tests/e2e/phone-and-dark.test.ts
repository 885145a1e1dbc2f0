/**
 * Every page on a phone (390×844) in the light and the dark scheme: nothing pushes the page
 * sideways, axe (colour contrast included) finds nothing moderate or worse, titles name the page, and no
 * request 404s (the favicon included). The customer's journey shows where they are at each step.
 */
import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import { pressSetupButton } from "../support/connect";
import { h } from "../support/harness";
import { expectHealthy, test } from "./fixtures";

const SCHEMES = ["light", "dark"] as const;
type Scheme = (typeof SCHEMES)[number];

async function onPhone(page: Page, scheme: Scheme): Promise<string[]> {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: scheme });
  const missing: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404 && !response.url().includes("/end-users/end_usr_")) missing.push(response.url());
  });
  return missing;
}

/** Opens a page and checks it fits the phone, is healthy in this scheme, and keeps a screenshot. */
async function checkPage(page: Page, scheme: Scheme, name: string, path: string, heading: string | RegExp) {
  await page.goto(`${h.stack.appOrigin}${path}`);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  const [scrollWidth, innerWidth] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(scrollWidth, `${name} is wider than the phone`).toBeLessThanOrEqual(innerWidth);
  // A table squeezed into the phone sets its words one character a line; it scrolls instead.
  const squeezed = await page.evaluate(() =>
    [...document.querySelectorAll("main td")]
      .filter((cell) => {
        const longestWord = Math.max(0, ...(cell.textContent ?? "").split(/\s+/).map((word) => word.length));
        const em = parseFloat(getComputedStyle(cell).fontSize);
        return longestWord >= 6 && cell.getBoundingClientRect().width < 3 * em;
      })
      .map((cell) => cell.textContent),
  );
  expect(squeezed, `${name} squeezes table cells to a few characters a line`).toEqual([]);
  expect(
    await wordsBrokenAcrossLines(page),
    `${name} breaks a header link, a heading or a word in a table inside a word`,
  ).toEqual([]);
  expect(await unlabelledCells(page), `${name} stacks a table cell without its column's heading`).toEqual([]);
  expect(await headerProblems(page), `${name}'s header`).toEqual([]);
  expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(scheme === "dark");
  await expectHealthy(page, `phone-${scheme}-${name}`);
}

/**
 * The header's controls under 24 px tall (WCAG 2.5.8), and the signed-in address cut short: two
 * addresses may differ only near their end.
 */
function headerProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small = [...document.querySelectorAll<HTMLElement>(".who button, .who > a")]
      .filter((control) => control.getBoundingClientRect().height < 24)
      .map((control) => `${control.innerText} is ${control.getBoundingClientRect().height} px tall`);
    const address = document.querySelector<HTMLElement>(".who > span:first-child");
    const cut = address && address.scrollWidth > address.clientWidth ? [`${address.innerText} is cut short`] : [];
    return [...small, ...cut];
  });
}

/**
 * Words the header's links, a table's headings or a table's cells set across two lines (broken
 * inside the word), though they would fit on one. In cells, only words of letters: an id or an
 * address may have to break.
 */
function wordsBrokenAcrossLines(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll(".site-header nav a, .site-header .brand, .who button, main th, main td")].flatMap(
      (element) => {
        const broken: string[] = [];
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const word of (node.textContent ?? "").matchAll(/\S+/g)) {
            if (element.matches("td") && !/^\p{L}+$/u.test(word[0])) continue;
            const range = document.createRange();
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            const rects = [...range.getClientRects()];
            // A word wider than its element (a 255-letter company name) has to break; any other may not.
            const fits = rects.reduce((width, rect) => width + rect.width, 0) <= element.clientWidth;
            if (fits && new Set(rects.map((rect) => Math.round(rect.top))).size > 1) broken.push(word[0]);
          }
        }
        return broken;
      },
    ),
  );
}

/**
 * On a phone a table's rows stack: every cell but a row's first shows its column's heading
 * before it. The cells whose label is not their column's heading, and tables that still scroll.
 */
function unlabelledCells(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("main table")].flatMap((table) => {
      const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent?.trim());
      const region = table.closest(".table-scroll")!;
      const scrolls = region.scrollWidth > region.clientWidth ? [`${headings.join(", ")}: scrolls sideways`] : [];
      const unlabelled = [...table.querySelectorAll("tbody tr")].flatMap((row) =>
        [...row.querySelectorAll("td")].slice(1).flatMap((cell) => {
          const label = getComputedStyle(cell, "::before").content;
          const heading = headings[cell.cellIndex];
          return label === JSON.stringify(heading) ? [] : [`${heading}: ${label} before “${cell.textContent}”`];
        }),
      );
      return [...scrolls, ...unlabelled];
    }),
  );
}

const step = (page: Page) => page.locator('.stepper [aria-current="step"]').innerText();

describe.each(SCHEMES)("on a phone in the %s scheme", (scheme) => {
  test("the public pages fit and pass axe, with a favicon and no missing resource", async ({ page }) => {
    const missing = await onPhone(page, scheme);
    await checkPage(page, scheme, "landing", "/", "Connect your company to QuickBooks Desktop");
    expect(await page.locator('link[rel="icon"]').count()).toBeGreaterThan(0);
    await checkPage(page, scheme, "signin", "/signin", "Sign in");
    await checkPage(page, scheme, "check-email", "/signin/check-email?email=a%40example.test", "Check your email");
    await checkPage(page, scheme, "signin-error", "/signin/error?error=Verification", "Could not sign you in");
    expect(await page.title()).toBe("Sign-in problem — Conductor Onboarding");
    expect(missing).toEqual([]);
  });

  test("the sandbox's setup page fits the phone with the longest company name a customer may give", async ({
    page,
  }) => {
    await onPhone(page, scheme);
    const { client, endUser } = await h.onboardedCustomer(`phone-long-${scheme}`, "W".repeat(255));
    const session = await (await client.json(`/api/end-users/${endUser.id}/auth-sessions`, {})).json();
    await page.goto(session.authSession.authFlowUrl);
    await page.getByRole("heading", { level: 1, name: "Connect QuickBooks Desktop" }).waitFor();
    const [scrollWidth, innerWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      window.innerWidth,
    ]);
    expect(scrollWidth, "the setup page is wider than the phone").toBeLessThanOrEqual(innerWidth);
    const card = await page.locator("main").boundingBox();
    expect(card!.x, "the setup card's margin on the phone").toBeGreaterThanOrEqual(8);
    expect(innerWidth - card!.x - card!.width, "the setup card's margin on the phone").toBeGreaterThanOrEqual(8);
  });

  test("a customer's journey fits every step, and the stepper says where they are", async ({
    customer: { page },
    onboardingPage,
  }) => {
    const missing = await onPhone(page, scheme);
    await checkPage(page, scheme, "onboarding-company", "/onboarding", "Connect your company");
    expect(await step(page)).toContain("Your company");

    await onboardingPage.companyName().fill(`Phone ${scheme} Bakery with a rather long company name`);
    await onboardingPage.submit().click();
    await onboardingPage.setUp().waitFor();
    await checkPage(page, scheme, "onboarding-connect", "/onboarding", "Connect your company");
    expect(await step(page)).toContain("Connect QuickBooks Desktop");

    await checkPage(page, scheme, "landing-customer", "/", "Connect your company to QuickBooks Desktop");
    expect(await page.getByTestId("next-step").innerText()).toContain("Connect QuickBooks Desktop");

    const endUserId = (
      await h.sql<{ id: string }>(`SELECT id FROM "ConductorEndUser" WHERE "companyName" = $1`, [
        `Phone ${scheme} Bakery with a rather long company name`,
      ])
    )[0]!.id;
    await h.emulator.setConnection(endUserId, "connected");
    await checkPage(page, scheme, "connected", "/onboarding/connected", /connected|QuickBooks/i);
    await expect.poll(() => page.getByTestId("connection-status").innerText()).toContain("Connected");
    await checkPage(page, scheme, "onboarding-done", "/onboarding", "Connect your company");
    expect(await page.locator(".stepper .done").count()).toBe(4);
    await checkPage(page, scheme, "end-user-customer", `/end-users/${endUserId}`, /Phone .* Bakery/);
    expect(missing).toEqual([]);
  });

  test("an operator's pages fit, table rows stack with their columns' headings, and titles name the company", async ({
    operator: { page },
  }) => {
    const { endUser: gone } = await h.onboardedCustomer(`phone-gone-${scheme}`, `Phone ${scheme} Gone Upstream Co`);
    await h.sql(`UPDATE "ConductorEndUser" SET "missingUpstreamSince" = now() WHERE id = $1`, [gone.id]);
    const { endUser } = await h.onboardedCustomer(`phone-${scheme}`, `Phone ${scheme} Operator View Co`);
    const missing = await onPhone(page, scheme);
    await checkPage(page, scheme, "end-users", "/end-users", "End-users");
    await page.getByRole("button", { name: "Mark offboarded" }).first().waitFor();
    await checkPage(page, scheme, "end-user", `/end-users/${endUser.id}`, `Phone ${scheme} Operator View Co`);
    expect(await page.title()).toBe(`Phone ${scheme} Operator View Co — End-users — Conductor Onboarding`);
    const tables = await page.locator("main table").count();
    expect(tables).toBeGreaterThanOrEqual(1);
    expect(await page.locator('main [role="region"].table-scroll > table').count()).toBe(tables);
    await checkPage(page, scheme, "audit", "/audit", /Audit/);
    // Tabbed to, a date field shows the app's focus ring like any other field.
    await page.locator('input[name="sourceId"]').focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("since");
    expect(await page.locator('input[name="since"]').evaluate((field) => getComputedStyle(field).outlineStyle)).toBe(
      "solid",
    );
    await checkPage(page, scheme, "audit-empty", "/audit?actor=nobody%40example.test", /Audit/);
    await page.getByRole("link", { name: "Clear the filters" }).click();
    await page.waitForURL(/\/audit$/);
    await checkPage(page, scheme, "end-users-empty", "/end-users?q=no-such-company-anywhere", "End-users");
    await page.getByRole("link", { name: "Show all end-users" }).click();
    await page.waitForURL(/\/end-users$/);
    expect(missing).toEqual([]);
  });
});

describe("on a desktop, signed in with a long address", () => {
  test("the header wraps between whole links and table headings between words, at 1024, 1280 and 1440 px", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await onboarding.companyName().fill("Wide Screen Co");
    await onboarding.submit().click();
    await onboarding.setUp().waitFor();
    // Connected, so that the page holds its connections table too.
    const client = h.client();
    for (const { name, value } of await page.context().cookies()) client.cookies.set(name, value);
    const created = await client.json(`/api/end-users/${await onboarding.conductorId()}/auth-sessions`, {});
    const { authSession } = (await created.json()) as { authSession: { authFlowUrl: string } };
    await pressSetupButton(authSession.authFlowUrl);
    await page.reload();
    await onboarding.connections().waitFor();
    for (const width of [1024, 1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await wordsBrokenAcrossLines(page), `at ${width} px`).toEqual([]);
    }
  });
});
