import { describe, expect, inject, it } from "vitest";
import { count, userIdFor } from "../support/db";
import { emulator } from "../support/emulator";
import { onboardedCustomer, uniqueEmail } from "../support/http";
import { accessibilityViolations, chromiumForThisFile, screenshot, watchedPage } from "./browser";
import { EndUserPage } from "./pages/end-user-page";
import { OnboardingPage } from "./pages/onboarding-page";
import { SignInPage } from "./pages/sign-in-page";

const browser = chromiumForThisFile();

describe("a customer in Chromium", () => {
  it("is sent to sign-in from /onboarding, signs in through the emailed link, submits the form twice at once, and gets exactly one end-user", async () => {
    const { page, problems } = await watchedPage(browser());
    const email = uniqueEmail("e2e-customer");
    await page.goto(`${inject("stack").appOrigin}/onboarding`);
    await page.waitForURL(/\/signin\?callbackUrl=%2Fonboarding/);
    const signInPage = new SignInPage(page);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "signin");
    await signInPage.signInAs(email);
    await page.waitForURL(/\/onboarding$/);

    const onboarding = new OnboardingPage(page);
    await onboarding.companyName().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "onboarding-form");

    await onboarding.companyName().fill("Double Click Ltd");
    const since = Date.now();
    // Two submits before React can disable the button, as an impatient double click can.
    await page.locator("main form.stack").evaluate((form: HTMLFormElement) => {
      form.requestSubmit();
      form.requestSubmit();
    });
    await onboarding.setUp().waitFor();
    // Step 2 waits for QuickBooks Desktop: nothing is connected before its setup is completed.
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Not started");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "onboarding-done");

    const sourceId = await userIdFor(email);
    expect(await count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toBe(1);
    const posts = (await emulator.calls({ provider: "conductor", method: "POST" })).filter(
      (call) => Date.parse(call.at) >= since,
    );
    expect(posts).toHaveLength(1);

    const id = await onboarding.conductorId();
    await page.getByRole("link", { name: id }).click();
    const detail = new EndUserPage(page);
    await expect.poll(() => detail.heading().innerText()).toBe("Double Click Ltd");
    await detail.live().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "end-user-customer");
    expect(problems).toEqual([]);
  });

  it("shows a bad company name's problem next to the field", async () => {
    const { page, problems } = await watchedPage(browser());
    await new SignInPage(page).open("/onboarding");
    await new SignInPage(page).signInAs(uniqueEmail("e2e-bad-name"));
    const onboarding = new OnboardingPage(page);
    await onboarding.companyName().fill("   ");
    await onboarding.submit().click();
    await expect.poll(() => onboarding.fieldError().innerText()).toContain("must not be empty");
    expect(await onboarding.companyName().getAttribute("aria-invalid")).toBe("true");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "onboarding-error");
    expect(problems).toEqual([]);
  });

  it("opening another customer's end-user shows the not-found page and none of its data", async () => {
    const { endUser } = await onboardedCustomer("e2e-owner", "Secret Owner Inc");

    const { page, problems } = await watchedPage(browser());
    await new SignInPage(page).open();
    await new SignInPage(page).signInAs(uniqueEmail("e2e-snoop"));
    const response = await new EndUserPage(page).open(endUser.id);
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    expect(await page.content()).not.toContain("Secret Owner Inc");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "not-found");
    expect(problems).toEqual([]);
  });

  it("a customer opening the operators' list gets the not-allowed page", async () => {
    const { page, problems } = await watchedPage(browser());
    await new SignInPage(page).open();
    await new SignInPage(page).signInAs(uniqueEmail("e2e-forbidden"));
    const response = await page.goto(`${inject("stack").appOrigin}/end-users`);
    expect(response?.status()).toBe(403);
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "forbidden");
    expect(problems).toEqual([]);
  });
});
