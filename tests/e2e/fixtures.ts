/**
 * What every browser test takes from its fixtures: Chromium (one per file), a fresh watched page
 * per test, the page objects on it, and that page signed in as a new customer or as the operator.
 * `expectHealthy(page)` is the one check of a page: no moderate, serious or critical axe violation, and no
 * CSP violation, page error or console error so far. A page that logged a problem no check saw
 * fails its test when the test ends.
 */
import type { Page } from "playwright-core";
import { expect, test as base } from "vitest";
import { h, type HttpClient } from "../support/harness";
import { accessibilityViolations, launchChromium, screenshot, watchedPage } from "./browser";
import { AuditPage } from "./pages/audit-page";
import { EndUserPage } from "./pages/end-user-page";
import { EndUsersPage } from "./pages/end-users-page";
import { OnboardingPage } from "./pages/onboarding-page";
import { SignInPage } from "./pages/sign-in-page";

const problemsOf = new WeakMap<Page, string[]>();

/** Asserts the page is healthy as it is now; with a name, also saves a screenshot to test-results/. */
/** What the page logged so far, taken: a test that causes problems on purpose checks them, then the page is watched anew. */
export function takeProblems(page: Page): string[] {
  const problems = problemsOf.get(page) ?? [];
  return problems.splice(0, problems.length);
}

export async function expectHealthy(page: Page, screenshotName?: string): Promise<void> {
  let violations = await accessibilityViolations(page);
  // Under the full suite's load, axe has twice found no <title> on a page that a server action's
  // answer was re-rendering, and never on a settled page: the check is repeated once, half a
  // second later, so a page without a title still fails but that moment does not.
  if (violations.some((violation) => violation.includes("document-title"))) {
    await page.waitForTimeout(500);
    violations = await accessibilityViolations(page);
  }
  expect(violations).toEqual([]);
  expect(problemsOf.get(page)).toEqual([]);
  if (screenshotName) await screenshot(page, screenshotName);
}

export const test = base
  .extend("browser", { scope: "file" }, async ({}, { onCleanup }) => {
    const browser = await launchChromium();
    onCleanup(() => browser.close());
    return browser;
  })
  .extend("page", async ({ browser }, { onCleanup }) => {
    const { page, context, problems } = await watchedPage(browser);
    problemsOf.set(page, problems);
    onCleanup(async () => {
      await context.close();
      expect(problems, "problems the page logged after its last check").toEqual([]);
    });
    return page;
  })
  /** Opens a page in a browser with JavaScript off, signed in as `client` is; closed when the test ends. */
  .extend("pageWithoutScript", async ({ browser }, { onCleanup }) => {
    return async (client: HttpClient) => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      onCleanup(() => context.close());
      await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: h.stack.appOrigin })));
      return context.newPage();
    };
  })
  .extend("signInPage", ({ page }) => new SignInPage(page))
  .extend("onboardingPage", ({ page }) => new OnboardingPage(page))
  .extend("endUsersPage", ({ page }) => new EndUsersPage(page))
  .extend("endUserPage", ({ page }) => new EndUserPage(page))
  .extend("auditPage", ({ page }) => new AuditPage(page))
  /** The page, signed in through the sign-in form as a new customer and on /onboarding. */
  .extend("customer", async ({ page, signInPage }) => {
    const email = h.uniqueEmail("e2e-customer");
    await signInPage.open("/onboarding");
    await signInPage.signInAs(email);
    await page.waitForURL(/\/onboarding$/);
    return { email, page };
  })
  /** The page, signed in through the sign-in form as the operator and on /end-users. */
  .extend("operator", async ({ page, signInPage }) => {
    await signInPage.open("/end-users");
    await signInPage.signInAs(h.stack.operatorEmail);
    await page.waitForURL(/\/end-users$/);
    return { email: h.stack.operatorEmail, page };
  });
