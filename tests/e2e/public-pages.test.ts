import { describe } from "vitest";
import { h } from "../support/harness";
import { expectHealthy, test } from "./fixtures";

describe("pages anyone can open, in Chromium", () => {
  test.for([
    ["landing", "/", "Connect your company to QuickBooks Desktop"],
    ["check-email", "/signin/check-email?email=someone%40example.test", "Check your email"],
    ["signin-error", "/signin/error?error=Verification", "Could not sign you in"],
  ])("%s renders under the CSP with no serious accessibility violations", async ([name, path, heading], { page }) => {
    await page.goto(`${h.stack.appOrigin}${path}`);
    await page.getByRole("heading", { name: heading }).waitFor();
    await expectHealthy(page, name);
  });

  test("an anonymous visitor opening an operator page is sent to sign-in", async ({ page }) => {
    await page.goto(`${h.stack.appOrigin}/end-users`);
    await page.waitForURL(/\/signin\?callbackUrl=%2Fend-users/);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await expectHealthy(page);
  });
});
