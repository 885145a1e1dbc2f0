import { describe, expect } from "vitest";
import { h } from "../support/harness";
import { expectHealthy, test } from "./fixtures";
import { SignInPage } from "./pages/sign-in-page";

describe("pages anyone can open, in Chromium", () => {
  test.for([
    ["landing", "/", "Connect your company to QuickBooks Desktop"],
    ["check-email", "/signin/check-email?email=someone%40example.test", "Check your email"],
    ["signin-error", "/signin/error?error=Verification", "Could not sign you in"],
  ])(
    "%s renders under the CSP with no moderate or worse accessibility violations",
    async ([name, path, heading], { page }) => {
      await page.goto(`${h.stack.appOrigin}${path}`);
      await page.getByRole("heading", { name: heading }).waitFor();
      await expectHealthy(page, name);
    },
  );

  test("an anonymous visitor opening an operator page is sent to sign-in", async ({ page }) => {
    await page.goto(`${h.stack.appOrigin}/end-users`);
    await page.waitForURL(/\/signin\?callbackUrl=%2Fend-users/);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await expectHealthy(page);
  });

  test("without JavaScript, the sign-in form emails the link and its Sign in button signs in, onto the page asked for; an address it cannot email to comes back to the form, told why beside the field", async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const signInPage = new SignInPage(page);
      await signInPage.open("/onboarding");
      await signInPage.email().fill("not an address");
      await signInPage.submit().click();
      // Back on the form, the address as typed beside its problem, the focus there, where sign-in leads kept.
      await signInPage.fieldError().waitFor();
      expect(await signInPage.fieldError().innerText()).toBe("Enter an email address, like you@company.com.");
      expect(await signInPage.email().inputValue()).toBe("not an address");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
      expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe("/onboarding");

      const email = h.uniqueEmail("e2e-no-script-signin");
      await signInPage.open("/onboarding");
      await signInPage.signInAs(email);
      expect(new URL(page.url()).pathname).toBe("/onboarding");
      await page.getByRole("heading", { name: "Connect your company" }).waitFor();
      expect(await page.locator("header").innerText()).toContain(email);
    } finally {
      await context.close();
    }
  });

  test("the sign-in form refuses an address the server would refuse, says why beside the field with the focus there, and sends nothing", async ({
    page,
    signInPage,
  }) => {
    const posted: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posted.push(request.url());
    });
    await signInPage.open();
    for (const [typed, problem] of [
      ["josé@example.test", "letters like é or ü"],
      [`${"a".repeat(250)}@example.test`, "like you@company.com"],
      ["ops@example", "like you@company.com"],
    ] as const) {
      await signInPage.email().fill(typed);
      await signInPage.submit().click();
      await expect.poll(() => signInPage.fieldError().innerText()).toContain(problem);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
    }
    expect(await signInPage.email().getAttribute("aria-invalid")).toBe("true");
    expect(posted).toEqual([]);
    expect(await h.mail.to("josé@example.test")).toEqual([]);
    await expectHealthy(page, "signin-bad-address");
  });

  test("the sign-in form says so beside the field when the mail server refuses the address for good, instead of 'try again'", async ({
    page,
    signInPage,
  }) => {
    const refused = h.uniqueEmail("e2e-signin").replace("@", "+refused@");
    await signInPage.open();
    await signInPage.email().fill(refused);
    await signInPage.submit().click();
    await expect.poll(() => signInPage.fieldError().innerText()).toContain("The mail server refused to deliver");
    expect(await signInPage.fieldError().innerText()).not.toContain("Try again");
    expect(await signInPage.email().getAttribute("aria-invalid")).toBe("true");
    expect(await h.mail.to(refused)).toEqual([]);
    await expectHealthy(page, "signin-address-refused");
  });
});
