import { describe, expect, inject, it } from "vitest";
import { accessibilityViolations, chromiumForThisFile, screenshot, watchedPage } from "./browser";

const browser = chromiumForThisFile();

describe("pages anyone can open, in Chromium", () => {
  it.each([
    ["landing", "/", "Connect your company to QuickBooks Desktop"],
    ["check-email", "/signin/check-email?email=someone%40example.test", "Check your email"],
    ["signin-error", "/signin/error?error=Verification", "Could not sign you in"],
  ])("%s renders under the CSP with no serious accessibility violations", async (name, path, heading) => {
    const { page, problems } = await watchedPage(browser());
    await page.goto(`${inject("stack").appOrigin}${path}`);
    await page.getByRole("heading", { name: heading }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, name);
    expect(problems).toEqual([]);
  });

  it("an anonymous visitor opening an operator page is sent to sign-in", async () => {
    const { page, problems } = await watchedPage(browser());
    await page.goto(`${inject("stack").appOrigin}/end-users`);
    await page.waitForURL(/\/signin\?callbackUrl=%2Fend-users/);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(problems).toEqual([]);
  });
});
