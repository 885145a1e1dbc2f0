import { afterEach, describe, expect } from "vitest";
import { checkedMessage, pressSetupButton } from "../support/connect";
import { h } from "../support/harness";
import type { Request } from "playwright-core";
import { expectHealthy, takeProblems, test } from "./fixtures";
import { OnboardingPage } from "./pages/onboarding-page";
import { SignInPage } from "./pages/sign-in-page";

afterEach(() => h.emulator.disarm());

describe("a customer in Chromium", () => {
  test("is sent to sign-in from /onboarding, signs in through the emailed link, submits the form twice at once, gets exactly one end-user, and sees its setup step again after going back", async ({
    page,
    signInPage,
    onboardingPage,
    endUserPage,
  }) => {
    const email = h.uniqueEmail("e2e-customer");
    await onboardingPage.open();
    await page.waitForURL(/\/signin\?callbackUrl=%2Fonboarding/);
    await expectHealthy(page, "signin");
    await signInPage.signInAs(email);
    await page.waitForURL(/\/onboarding$/);

    await onboardingPage.companyName().waitFor();
    await expectHealthy(page, "onboarding-form");

    await onboardingPage.companyName().fill("Double Click Ltd");
    const since = Date.now();
    // Two submits before React can disable the button, as an impatient double click can.
    await page.locator("main form.stack").evaluate((form: HTMLFormElement) => {
      form.requestSubmit();
      form.requestSubmit();
    });
    await onboardingPage.setUp().waitFor();
    // Step 2 waits for QuickBooks Desktop: nothing is connected before its setup is completed.
    await expect.poll(() => onboardingPage.connectionStatus().innerText()).toContain("Not started");
    await expectHealthy(page, "onboarding-done");

    expect(await h.cachedCount(await h.userIdFor(email))).toBe(1);
    expect(await h.emulator.calls({ provider: "conductor", method: "POST", since })).toHaveLength(1);

    const id = await onboardingPage.conductorId();
    // The ids are for support: under a disclosure, with the way to the account's own page.
    await page.getByText("Details for support").click();
    expect(id).toMatch(/^end_usr_/);
    await page.getByRole("link", { name: "The account's own page" }).click();
    await expect.poll(() => endUserPage.heading().innerText()).toBe("Double Click Ltd");
    await endUserPage.live().waitFor();
    await expectHealthy(page, "end-user-customer");

    // The browser's back button shows the page as it is now: the setup step, not the form.
    await page.goBack();
    await page.waitForURL(/\/onboarding$/);
    await onboardingPage.setUp().waitFor();
    expect(await onboardingPage.companyName().count()).toBe(0);
  });

  test("shows a bad company name's problem next to the field, and takes the focus there to fix it", async ({
    customer,
    onboardingPage,
  }) => {
    await onboardingPage.companyName().fill("   ");
    await onboardingPage.submit().focus();
    await customer.page.keyboard.press("Enter");
    await expect.poll(() => onboardingPage.fieldError().innerText()).toContain("must not be empty");
    expect(await onboardingPage.companyName().getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => customer.page.evaluate(() => document.activeElement?.id)).toBe("companyName");
    await expectHealthy(customer.page, "onboarding-error");
  });

  test("reaches the company field with the keyboard past the header: the first Tab offers to skip to the content", async ({
    customer,
    onboardingPage,
  }) => {
    const { page } = customer;
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    expect(await skip.evaluate((link) => link === document.activeElement)).toBe(true);
    // Out of sight until focused, then in view.
    expect(await skip.evaluate((link) => link.getBoundingClientRect().top >= 0)).toBe(true);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    const focused = () => page.evaluate(() => document.activeElement?.closest("main") !== null);
    expect(await focused()).toBe(true);
    expect(await onboardingPage.companyName().count()).toBe(1);
    await expectHealthy(page);
  });

  test("posts the company name to the action as one line of JSON text, byte for byte what the HTTP tests and the bench send", async ({
    customer,
    onboardingPage,
  }) => {
    const id = await h.userIdFor(customer.email);
    await onboardingPage.companyName().fill("$5 Text Ltd");
    const posted = customer.page.waitForRequest(
      (request) => request.method() === "POST" && request.headers()["next-action"] !== undefined,
    );
    await onboardingPage.submit().click();
    const request = await posted;
    expect(request.headers()["content-type"]).toBe("text/plain;charset=UTF-8");
    expect(request.postData()).toBe(h.actions.text({ signedInAs: id, companyName: "$5 Text Ltd" }));
    await onboardingPage.setUp().waitFor();
    expect(await h.cachedCount(id)).toBe(1);
  });

  test("keeps the name typed after the server refuses it, so it can be corrected rather than typed again", async ({
    customer,
    onboardingPage,
  }) => {
    const tooLong = `Long ${"n".repeat(260)} Ltd`;
    await onboardingPage.companyName().fill(tooLong);
    await onboardingPage.submit().click();
    await expect.poll(() => onboardingPage.fieldError().innerText()).toContain("at most 255 characters");
    expect(await onboardingPage.companyName().inputValue()).toBe(tooLong);
    await expectHealthy(customer.page);
  });

  test("a pasted megabyte is cut by the field, so the server names the field's problem rather than refusing the request", async ({
    customer,
    onboardingPage,
  }) => {
    await onboardingPage.companyName().fill("m".repeat(1_100_000));
    expect((await onboardingPage.companyName().inputValue()).length).toBe(1024);
    await onboardingPage.submit().click();
    await expect.poll(() => onboardingPage.fieldError().innerText()).toContain("at most 255 characters");
    await expectHealthy(customer.page);
  });

  test("a submit whose call does not come back keeps the page and the name typed, says the outcome is not known, and pressing again sets it up once", async ({
    customer: { page, email },
    onboardingPage,
  }) => {
    const id = await h.userIdFor(email);
    const isAction = (request: Request) =>
      request.method() === "POST" && request.headers()["next-action"] !== undefined;
    // The network drops as the first submit goes out.
    await page.route(
      "**/onboarding",
      (route) => (isAction(route.request()) ? route.abort("failed") : route.fallback()),
      {
        times: 1,
      },
    );
    await onboardingPage.companyName().fill("Lost Call Ltd");
    await onboardingPage.submit().click();
    const lost = page.getByTestId("action-call-lost");
    await lost.waitFor();
    expect(await lost.innerText()).toContain("we cannot say whether your company was set up");
    expect(await page.getByTestId("error-page").count()).toBe(0);
    expect(await onboardingPage.companyName().inputValue()).toBe("Lost Call Ltd");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("companyName");
    // What the browser logged is the dropped request, and React's report of it: nothing else.
    for (const problem of takeProblems(page)) expect(problem).toMatch(/Failed to fetch|net::ERR_FAILED/);
    expect(await h.cachedCount(id)).toBe(0);

    await onboardingPage.submit().click();
    await onboardingPage.setUp().waitFor();
    expect(await lost.count()).toBe(0);
    expect(await h.cachedCount(id)).toBe(1);
    expect(await h.upstream(id)).toHaveLength(1);
    await expectHealthy(page);
  });

  test("after Conductor fails, the page shows what a reload shows: the name, what happened, and the way on", async ({
    customer: { page },
    onboardingPage,
  }) => {
    await h.emulator.arm({ provider: "conductor", method: "POST", path: "/end-users", status: 500, times: 1 });
    await onboardingPage.companyName().fill("Failing Upstream Co");
    await onboardingPage.submit().click();
    const notice = page.getByRole("status").filter({ hasText: "We asked Conductor to create Failing Upstream Co" });
    await notice.waitFor();
    const shown = async () => ({
      notice: (await notice.innerText()).replace(/\s+/g, " "),
      name: await onboardingPage.companyName().inputValue(),
      button: await onboardingPage.submit().innerText(),
    });
    const afterSubmit = await shown();
    expect(afterSubmit).toMatchObject({ name: "Failing Upstream Co", button: "Check again" });
    expect(afterSubmit.notice).toMatch(/Conductor request id: req_[a-z0-9]+/);
    // The form the focus was in is gone: the focus moves to what replaced it, which is read out.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? null);
    await expect.poll(focused).toBe("submit-outcome");
    expect(await page.getByTestId("submit-outcome").innerText()).toContain("We asked Conductor to create");
    await page.reload();
    expect(await shown()).toEqual(afterSubmit);
    expect(await focused()).toBeNull();
    await expectHealthy(page, "onboarding-unknown-outcome");
  });

  test("keeps a name of 200 emoji whole: the field cuts nothing the server would take", async ({
    customer,
    onboardingPage,
  }) => {
    const name = "\u{1F600}".repeat(200);
    await onboardingPage.companyName().fill(name);
    expect(await onboardingPage.companyName().inputValue()).toBe(name);
    await onboardingPage.submit().click();
    await onboardingPage.setUp().waitFor();
    const [row] = await h.sql<{ companyName: string }>(
      `SELECT "companyName" FROM "ConductorEndUser" WHERE "sourceId" = $1`,
      [await h.userIdFor(customer.email)],
    );
    expect(row?.companyName).toBe(name);
  });

  test("a sign-in link turned into next-auth's callback by someone else (login CSRF) lands on the confirm page, which names both accounts; the customer stays signed in", async ({
    customer: { page, email },
  }) => {
    const { link } = await h.requestSignInLink(h.uniqueEmail("e2e-csrf-attacker"));
    const attacker = new URL(link).searchParams.get("email")!;
    const callback = new URL(`/api/auth/callback/email${new URL(link).search}`, h.stack.appOrigin);
    await page.goto(callback.href);
    await page.waitForURL((url) => url.pathname === "/signin/confirm");
    await page.getByText(`Sign in as ${attacker}?`).waitFor();
    expect(await page.getByTestId("switching-account").innerText()).toContain(email);
    const session = (await (await page.request.get(`${h.stack.appOrigin}/api/auth/session`)).json()) as {
      user?: { email: string };
    };
    expect(session.user?.email).toBe(email);
  });

  test("a confirm page whose callbackUrl names next-auth's callback with someone else's link signs nobody in, not even by prefetching its Continue link, which leads home", async ({
    customer: { page, email },
  }) => {
    const attacker = new URL((await h.requestSignInLink(h.uniqueEmail("e2e-prefetch-attacker"))).link);
    const lure = new URL("/signin/confirm", h.stack.appOrigin);
    lure.search = new URLSearchParams({
      token: "0".repeat(64),
      email,
      callbackUrl: `/api/auth/callback/email${attacker.search}`,
    }).toString();
    const callbacks: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/auth/callback")) callbacks.push(request.url());
    });
    await page.goto(lure.href);
    const proceed = page.getByRole("link", { name: "Continue" });
    await proceed.waitFor();
    expect(await proceed.getAttribute("href")).toBe("/");
    await proceed.hover();
    await page.waitForLoadState("networkidle");
    await proceed.click();
    await page.waitForURL((url) => url.pathname === "/");
    expect(callbacks).toEqual([]);
    const session = (await (await page.request.get(`${h.stack.appOrigin}/api/auth/session`)).json()) as {
      user?: { email: string };
    };
    expect(session.user?.email).toBe(email);
    const [unused] = await h.sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM "VerificationToken" WHERE identifier = $1`,
      [attacker.searchParams.get("email")],
    );
    expect(unused?.count).toBe(1);
  });

  test("a form submitted after signing out in another tab says the session ended and links back through sign-in", async ({
    customer: { page },
    onboardingPage,
  }) => {
    const other = await page.context().newPage();
    await other.goto(`${h.stack.appOrigin}/onboarding`);
    await other.getByRole("button", { name: "Sign out", exact: true }).click();
    await other.waitForURL((url) => url.pathname === "/");
    await other.close();

    await onboardingPage.companyName().fill("Stale Tab Co");
    await onboardingPage.submit().click();
    await page.getByText("Your session has ended.").waitFor();
    expect(await onboardingPage.companyName().inputValue()).toBe("Stale Tab Co");
    const link = page.getByRole("link", { name: "Sign in again" });
    expect(await link.getAttribute("href")).toBe("/signin?callbackUrl=%2Fonboarding&ended=1");
    await link.click();
    await page.waitForURL(/\/signin\?callbackUrl=%2Fonboarding&ended=1$/);
    await page.getByTestId("session-ended").waitFor();
    // The header no longer offers to sign out the person who did.
    expect(await page.getByRole("button", { name: "Sign out", exact: true }).count()).toBe(0);
  });

  test("a connection panel left open while another tab signed out goes to the sign-in page, which says the session ended", async ({
    customer: { page },
    onboardingPage,
  }) => {
    await onboardingPage.companyName().fill("Left Open Co");
    await onboardingPage.submit().click();
    await onboardingPage.setUp().waitFor();
    const other = await page.context().newPage();
    await other.goto(`${h.stack.appOrigin}/onboarding`);
    await other.getByRole("button", { name: "Sign out", exact: true }).click();
    await other.waitForURL((url) => url.pathname === "/");
    await other.close();

    // The panel's next read is refused: the page follows to sign in, and says why.
    await page.waitForURL(/\/signin\?callbackUrl=%2Fonboarding&ended=1$/, { timeout: 15_000 });
    expect(await page.getByTestId("session-ended").innerText()).toContain("Your session has ended");
    await expectHealthy(page);
  });

  test("a form left open while another account signed in, in another tab, creates nothing for that account and names it", async ({
    customer: { page, email },
    onboardingPage,
  }) => {
    const other = await page.context().newPage();
    await other.goto(`${h.stack.appOrigin}/onboarding`);
    await other.getByRole("button", { name: "Sign out", exact: true }).click();
    await other.waitForURL((url) => url.pathname === "/");
    const second = h.uniqueEmail("e2e-second-account");
    await new SignInPage(other).open("/onboarding");
    await new SignInPage(other).signInAs(second);
    await other.close();

    await onboardingPage.companyName().fill("Typed For The First Co");
    await onboardingPage.submit().click();
    await page.getByText(`this browser is now signed in as ${second}`).waitFor();
    expect(await onboardingPage.companyName().inputValue()).toBe("Typed For The First Co");
    for (const account of [email, second]) {
      const sourceId = await h.userIdFor(account);
      expect(await h.count(`SELECT 1 FROM "OnboardingClaim" WHERE "sourceId" = $1`, [sourceId])).toBe(0);
      expect(await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "sourceId" = $1`, [sourceId])).toBe(0);
    }
    await expectHealthy(page);
  });

  test("a submit that finds the company set up in another tab keeps saying the name typed was not used once the page is fetched again behind it", async ({
    customer: { page },
    onboardingPage,
  }) => {
    await onboardingPage.open();
    const other = await page.context().newPage();
    const otherTab = new OnboardingPage(other);
    await otherTab.open();
    await otherTab.companyName().fill("Other Tab Co");
    await otherTab.submit().click();
    await otherTab.setUp().waitFor();
    await other.close();

    await onboardingPage.companyName().fill("This Tab Co");
    // The page the browser fetches again after the action (React data for GET /onboarding).
    const refetched = page.waitForResponse(
      (response) =>
        response.request().method() === "GET" &&
        new URL(response.url()).pathname === "/onboarding" &&
        response.request().headers()["rsc"] === "1",
    );
    await onboardingPage.submit().click();
    await refetched;
    // React swaps the page in as it arrives (a few milliseconds); Chromium reports the fetch
    // as cancelled once React has read it, so its end cannot be awaited.
    await page.waitForTimeout(1_000);
    const notice = page.getByTestId("name-unused");
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.innerText()).toBe(
      "The name you entered, This Tab Co, was not used: your company was already set up as Other Tab Co, in another tab or an earlier visit.",
    );
    await expectHealthy(page);
  });

  test("without JavaScript, the setup step offers the emailed link and the check, which work there, and says why it cannot open the setup", async ({
    pageWithoutScript,
  }) => {
    const { client, endUser } = await h.onboardedCustomer("e2e-no-script-customer", "No Script Customer Co");
    const page = await pageWithoutScript(client);
    await page.goto(`${h.stack.appOrigin}/onboarding`);
    expect(await page.getByRole("button", { name: "Email me this link" }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Open the setup" }).count()).toBe(0);
    expect(await page.getByTestId("connection-needs-script").innerText()).toContain("needs JavaScript");
    // Without JavaScript the page does not follow the status: it does not say it does.
    const follows = page.getByText("This page shows the status as soon as QuickBooks Desktop answers");
    expect([await follows.count(), await follows.isVisible()]).toEqual([1, false]);

    // The setup completed on the computer with QuickBooks; this page learns it from the check.
    const opened = await client.json(`/api/end-users/${endUser.id}/auth-sessions`, {});
    const { authSession } = (await opened.json()) as { authSession: { authFlowUrl: string } };
    expect((await pressSetupButton(authSession.authFlowUrl)).status).toBeLessThan(400);
    await page.getByRole("button", { name: "Check now" }).click();
    await page.getByText(checkedMessage("Connected")).waitFor();
    expect(await page.getByTestId("connection-status").innerText()).toContain("Connected");
  });

  test("without JavaScript, a company name refused comes back with its problem beside the field, which has the focus", async ({
    pageWithoutScript,
  }) => {
    const { client } = await h.customer("e2e-no-script-refused");
    const page = await pageWithoutScript(client);
    await page.goto(`${h.stack.appOrigin}/onboarding`);
    await page.getByLabel("Company name").fill("   ");
    await page.getByRole("button", { name: "Connect my company" }).click();
    await page.locator("#companyName-error").waitFor();
    expect(await page.getByLabel("Company name").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("companyName");
  });

  test("without JavaScript, the page the setup returns to says it cannot show the check's outcome and where the status appears, with no spinner", async ({
    pageWithoutScript,
  }) => {
    const { client, endUser } = await h.onboardedCustomer("e2e-no-script-return", "No Script Return Co");
    const opened = await client.json(`/api/end-users/${endUser.id}/auth-sessions`, {});
    const { authSession } = (await opened.json()) as { authSession: { authFlowUrl: string; redirectUrl: string } };
    await pressSetupButton(authSession.authFlowUrl);
    const page = await pageWithoutScript(client);
    await page.goto(authSession.redirectUrl);
    const note = page.getByTestId("checking-without-script");
    expect(await note.isVisible()).toBe(true);
    expect(await note.innerText()).toContain("Without JavaScript this page cannot show what the check finds");
    // Nothing spins on for a check whose outcome this page cannot show.
    expect(await page.locator(".spinner:visible").count()).toBe(0);
    await note.getByRole("link", { name: "your onboarding page" }).click();
    await page.waitForURL((url) => url.pathname === "/onboarding");
    expect(await page.getByTestId("connection-status").innerText()).toContain("Connected");
  });

  test("opening another customer's end-user shows the not-found page, leading back to their onboarding, and none of its data", async ({
    customer: { page },
    endUserPage,
  }) => {
    const { endUser } = await h.onboardedCustomer("e2e-owner", "Secret Owner Inc");
    const response = await endUserPage.open(endUser.id);
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "End-user not found" }).waitFor();
    await expect.poll(() => page.title()).toBe("End-user not found — Conductor Onboarding");
    expect(await page.getByRole("link", { name: "Go to your onboarding" }).getAttribute("href")).toBe("/onboarding");
    expect(await page.content()).not.toContain("Secret Owner Inc");
    await expectHealthy(page, "not-found");
  });

  test("a customer opening the operators' list gets the not-allowed page, pointing to their onboarding", async ({
    customer: { page },
  }) => {
    const response = await page.goto(`${h.stack.appOrigin}/end-users`);
    expect(response?.status()).toBe(403);
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    await expect.poll(() => page.title()).toBe("Not allowed — Conductor Onboarding");
    expect(await page.locator("main").innerText()).toMatch(
      /You are signed in as \S+, a customer: this page is for operators\./,
    );
    expect(await page.getByRole("link", { name: "Open your onboarding page" }).getAttribute("href")).toBe(
      "/onboarding",
    );
    await expectHealthy(page, "forbidden");
  });

  test("an operator opening the customers' onboarding gets the not-allowed page, pointing to the end-user list", async ({
    operator: { page },
  }) => {
    const response = await page.goto(`${h.stack.appOrigin}/onboarding`);
    expect(response?.status()).toBe(403);
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    expect(await page.locator("main").innerText()).toMatch(/an operator: this page is for customers\./);
    expect(await page.getByRole("link", { name: "Open the end-user list" }).getAttribute("href")).toBe("/end-users");
  });
});
