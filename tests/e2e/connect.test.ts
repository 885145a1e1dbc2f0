/**
 * Connecting QuickBooks Desktop in Chromium, against the production build and the sandbox
 * Conductor: the customer's whole path from sign-in to "Connected" (the setup opened in a new tab,
 * or emailed), what the operator sees, Conductor's advice when QuickBooks cannot be reached, and
 * a failure on Conductor's side that leaves the last status standing.
 */
import type { Browser, Page } from "playwright-core";
import { afterEach, describe, expect } from "vitest";
import { checkedMessage, pressSetupButton, waitForConnectMail } from "../support/connect";
import { h, type HttpClient } from "../support/harness";
import { accessibilityViolations, screenshot } from "./browser";
import { expectHealthy, takeProblems, test } from "./fixtures";
import { OnboardingPage } from "./pages/onboarding-page";

afterEach(() => h.emulator.disarm());

/** Console errors and page errors of a tab the fixtures did not open (the setup's own tab). */
function watch(page: Page, problems: string[]) {
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
}

/**
 * A page in a browser context of its own, signed in as `client` at `origin`, closed after `run`: a
 * fetch the test makes fail is logged by the browser on purpose, which a watched page would report.
 */
async function inOwnContext(
  browser: Browser,
  client: HttpClient,
  run: (page: Page) => Promise<void>,
  origin = h.stack.appOrigin,
  { javaScriptEnabled = true } = {},
) {
  const context = await browser.newContext({ javaScriptEnabled });
  try {
    await context.addCookies(
      [...client.cookies].map(([name, value]) => ({ name, value, url: origin, httpOnly: true })),
    );
    await run(await context.newPage());
  } finally {
    await context.close();
  }
}

/** The customer's /onboarding in a browser context of its own (inOwnContext). */
const onboardingUnwatched = (browser: Browser, client: HttpClient, run: (page: Page) => Promise<void>) =>
  inOwnContext(browser, client, async (page) => {
    await page.goto(`${h.stack.appOrigin}/onboarding`);
    await run(page);
  });

type Gate = { promise: Promise<void>; resolve: () => void };

/** A promise the test resolves when it chooses. */
function opened(): Gate {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** The panel's reads of the end-user (whatever their `?maxAge=`). */
const readOf = (endUserId: string) => (url: URL) => url.pathname === `/api/end-users/${endUserId}`;

/**
 * Holds every read of the end-user the panel makes from now on until its gate is opened, then
 * answers it as the server answers then; `stop()` lets the reads after it through.
 */
async function holdReads(page: Page, endUserId: string) {
  const held: Gate[] = [];
  let holding = true;
  await page.route(readOf(endUserId), async (route) => {
    if (!holding) return route.fallback();
    const released = opened();
    held.push(released);
    await released.promise;
    await route.fulfill({ response: await route.fetch() });
  });
  return { held, stop: () => (holding = false) };
}

/** A check from elsewhere (another tab, the operator) that finds QuickBooks Desktop `state`. */
async function checkElsewhere(page: Page, endUserId: string, state: "connected" | "offline") {
  await h.emulator.setConnection(endUserId, state);
  const checked = await page.request.post(`${h.stack.appOrigin}/api/end-users/${endUserId}/connection/check`, {
    data: {},
  });
  expect(checked.status()).toBe(200);
}

/** Conductor answers 500 to every read of the end-user (what the panel's polling asks for). */
const failConductorReads = (endUserId: string) =>
  h.emulator.arm({ provider: "conductor", method: "GET", path: `/end-users/${endUserId}`, status: 500, times: 50 });

/** Step 1 done: the company named, so /onboarding shows step 2. */
async function nameCompany(onboardingPage: OnboardingPage, company: string) {
  await onboardingPage.companyName().fill(company);
  await onboardingPage.submit().click();
  await onboardingPage.setUp().waitFor();
}

/** The company named, its QuickBooks Desktop offline, and a check that says so: the end-user's id. */
async function checkedOffline(onboardingPage: OnboardingPage, company: string): Promise<string> {
  await nameCompany(onboardingPage, company);
  const endUserId = await onboardingPage.conductorId();
  await h.emulator.setConnection(endUserId, "offline");
  await onboardingPage.check().click();
  await expect.poll(() => onboardingPage.connectionStatus().innerText()).toContain("Needs attention");
  return endUserId;
}

describe("a customer connecting QuickBooks Desktop in Chromium", () => {
  test("signs in, names the company, opens the setup in a new tab, completes it, and lands on a page that says Connected", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    const problems: string[] = [];
    await nameCompany(onboarding, "Browser Books Ltd");
    // The form's focus moves to the step that replaced it, not to the page's body.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("step-quickbooks");
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Not started");
    // Its name says what it does; its description, that it leaves this page for a new tab.
    const description = await onboarding
      .openSetup()
      .evaluate((button) => document.getElementById(button.getAttribute("aria-describedby") ?? "")?.textContent);
    expect(description).toBe("Opens in a new tab.");
    await page.getByText("Windows computer that runs QuickBooks Desktop").first().waitFor();
    await expectHealthy(page, "connect-step-two");

    const setup = await onboarding.openSetupTab();
    watch(setup, problems);
    const opened = page.getByText("The setup opened in a new tab.");
    await opened.waitFor();
    await setup.waitForURL(/\/conductor\/connect\/qbd\//);
    await setup.getByText("simulates Conductor's QuickBooks Desktop setup").waitFor();
    expect(await accessibilityViolations(setup)).toEqual([]);
    await screenshot(setup, "connect-sandbox-flow");
    // The setup tab cannot reach back into the page that opened it.
    expect(await setup.evaluate(() => window.opener)).toBeNull();

    await setup.getByRole("button", { name: "Complete connection" }).click();
    await setup.waitForURL(
      new RegExp(`^${h.stack.appOrigin}/onboarding/connected\\?endUser=end_usr_\\w+&until=\\d{10}&proof=[\\w-]{32}$`),
    );
    const outcome = setup.getByTestId("connection-outcome");
    await expect.poll(() => outcome.innerText()).toContain("Connected.");
    await expect.poll(() => setup.getByTestId("connection-status").innerText()).toContain("Connected");
    // Said of the last time it was asked, not of now: nothing on the page asks QuickBooks Desktop as it shows.
    expect(await setup.getByTestId("connection-status").innerText()).toContain(
      "it answered Conductor the last time it was asked.",
    );
    expect(await accessibilityViolations(setup)).toEqual([]);
    await screenshot(setup, "connect-connected");

    // The first tab follows by itself, its connections table too.
    await expect.poll(() => onboarding.connectionStatus().innerText(), { timeout: 15_000 }).toContain("Connected");
    await expect.poll(() => onboarding.connections().getByText("QuickBooks Desktop").count()).toBe(1);
    expect(await onboarding.openSetup().innerText()).toBe("Reconnect");
    // What the button said about the setup is old news once it is done.
    await expect.poll(() => opened.count()).toBe(0);
    await expectHealthy(page);
    expect(problems).toEqual([]);
  });

  test("a setup completed with QuickBooks Desktop closed lands on a page that says so, with the check's request id said once, in Conductor's advice", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Closed Books Ltd");
    const setup = await onboarding.openSetupTab();
    await setup.getByRole("button", { name: "Complete with QuickBooks Desktop closed" }).click();
    await setup.waitForURL(/\/onboarding\/connected\?/);
    const outcome = setup.getByTestId("connection-outcome");
    await expect.poll(() => outcome.innerText()).toContain("QuickBooks Desktop could not be reached");
    const advice = setup.getByTestId("connection-message");
    const id = /Conductor request id: (req_[a-z0-9]+)/.exec(await advice.innerText())?.[1];
    expect(id).toBeDefined();
    // Once the streamed outcome has taken the place of the page's "Checking…".
    await expect.poll(() => setup.locator("main").innerText()).toContain(id!);
    expect((await setup.locator("main").innerText()).split(id!)).toHaveLength(2);
    expect(await outcome.innerText()).not.toContain("Conductor request id");
    expect(await accessibilityViolations(setup)).toEqual([]);
    await expectHealthy(page);
  });

  test("while In progress (the setup done, QuickBooks Desktop not heard from), says the setup is done and what keeps it answering, not to run the setup", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Waiting Books Ltd");
    expect(await page.getByText("the setup has you download a file").count()).toBe(1);
    const setup = await onboarding.openSetupTab();
    // The setup's return never reaches this app (its tab closed first, say): nothing checks the
    // connection. Its completion is posted to Conductor, whose redirect back is not followed.
    await setup.route("**/*", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      await route.fetch({ maxRedirects: 0 });
      await route.fulfill({ status: 200, contentType: "text/plain", body: "Closed before returning." });
    });
    await setup.getByRole("button", { name: "Complete with QuickBooks Desktop closed" }).click();
    await expect.poll(() => onboarding.connectionStatus().innerText(), { timeout: 15_000 }).toContain("In progress");
    await expect
      .poll(() => page.getByTestId("in-progress-intro").innerText())
      .toMatch(/setup is done[\s\S]*keep QuickBooks Desktop open on your company file/);
    expect(await page.getByText("the setup has you download a file").count()).toBe(0);
    expect(await onboarding.openSetup().getAttribute("class")).toMatch(/secondary/);
    await expectHealthy(page);
  });

  test("once connected, reads the status every 3 s again after opening the setup (a reconnect), where it waits 30 s otherwise, and so shows the reconnect's outcome within seconds", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Reconnect Watch Ltd");
    const endUserId = await onboarding.conductorId();
    const first = await onboarding.openSetupTab();
    await first.getByRole("button", { name: "Complete connection" }).click();
    await expect.poll(() => onboarding.connectionStatus().innerText(), { timeout: 15_000 }).toContain("Connected");
    await first.close();
    // A page opened afresh: this panel opened no setup yet.
    await page.reload();
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Connected");

    // The panel's own reads of the end-user, counted over a window.
    let reads = 0;
    page.on("request", (request) => {
      if (request.url().includes(`/api/end-users/${endUserId}?maxAge=`)) reads++;
    });
    const readsOver = async (ms: number) => {
      const before = reads;
      await page.waitForTimeout(ms);
      return reads - before;
    };
    expect(await readsOver(7_500)).toBeLessThanOrEqual(1);
    const again = await onboarding.openSetupTab();
    await page.getByText("The setup opened in a new tab.").waitFor();
    expect(await readsOver(7_500)).toBeGreaterThanOrEqual(2);

    await again.getByRole("button", { name: "Complete with QuickBooks Desktop closed" }).click();
    await expect
      .poll(() => again.getByTestId("connection-status").innerText(), { timeout: 15_000 })
      .toContain("Needs attention");
    await expect
      .poll(() => onboarding.connectionStatus().innerText(), { timeout: 10_000 })
      .toContain("Needs attention");
    await expectHealthy(page);
  });

  test("whose browser blocks the new tab is told so, not that the setup opened, and gets its link", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Blocked Popup Ltd");
    // What a pop-up blocker does: window.open answers null and no tab opens.
    await page.evaluate(() => {
      window.open = () => null;
    });
    let tabs = 0;
    page.context().on("page", () => tabs++);
    await onboarding.openSetup().click();
    await page.getByText("Your browser did not let this page open a new tab.").waitFor();
    expect(await page.getByText("The setup opened in a new tab.").count()).toBe(0);
    const link = page.getByRole("link", { name: "Open the setup" });
    expect(await link.getAttribute("href")).toMatch(/\/conductor\/connect\/qbd\//);
    expect(tabs).toBe(0);
    await expectHealthy(page);
  });

  test("who opens the setup, then emails its link, then opens it again, sees only the newest way's note", async ({
    customer: { page, email },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Two Ways Ltd");
    const opened = page.getByText("The setup opened in a new tab.");
    const emailed = page.getByText(`We emailed a setup link to ${email}.`);
    const tab = await onboarding.openSetupTab();
    await opened.waitFor();
    await tab.close();
    await onboarding.emailLink().click();
    await emailed.waitFor();
    expect(await opened.count()).toBe(0);
    await (await onboarding.openSetupTab()).close();
    await opened.waitFor();
    expect(await emailed.count()).toBe(0);
    await expectHealthy(page);
  });

  test("emails the link to themselves, and the emailed link opens the setup", async ({
    customer: { page, email },
    onboardingPage: onboarding,
  }) => {
    const problems: string[] = [];
    await nameCompany(onboarding, "Emailed Books Ltd");
    const before = (await h.mail.to(email)).length;
    await onboarding.emailLink().click();
    await expect.poll(() => page.getByText(`We emailed a setup link to ${email}.`).count()).toBe(1);
    const { mail, link } = await waitForConnectMail(email, before);
    expect(mail.subject).toBe("Connect QuickBooks Desktop for Emailed Books Ltd");

    const other = await page.context().newPage();
    watch(other, problems);
    await other.goto(link);
    await other.getByRole("button", { name: "Complete connection" }).click();
    await expect.poll(() => other.getByTestId("connection-outcome").innerText()).toContain("Connected.");
    await expect.poll(() => onboarding.connectionStatus().innerText(), { timeout: 15_000 }).toContain("Connected");
    await expectHealthy(page);
    expect(problems).toEqual([]);
  });

  test("completes the emailed setup on another computer, signed in nowhere there, which is told to keep QuickBooks open, and this page says Connected by itself", async ({
    browser,
    customer: { page, email },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Elsewhere Books Ltd");
    const before = (await h.mail.to(email)).length;
    await onboarding.emailLink().click();
    const { link } = await waitForConnectMail(email, before);

    const windowsComputer = await browser.newContext();
    try {
      const other = await windowsComputer.newPage();
      await other.goto(link);
      await other.getByRole("button", { name: "Complete connection" }).click();
      await other.waitForURL(
        new RegExp(`^${h.stack.appOrigin}/onboarding/connected\\?endUser=end_usr_\\w+&until=\\d{10}&proof=[\\w-]{32}$`),
      );
      await other.getByText("Conductor's setup has ended on this computer.").waitFor();
      // The address is the one this app made: its return has the connection checked, for everyone.
      await other.getByTestId("checked-for-others").waitFor();
      // A copy fresh for CONDUCTOR_READ_FRESH_SECONDS (0 here) answers the page's polls, every 3 s.
      expect(await other.locator("main").innerText()).toContain(
        "by itself, within about 5 seconds (within about 35 where it already showed QuickBooks Desktop connected, as it then reads less often).",
      );
      // Whoever is at that computer is the only one who can keep QuickBooks reachable.
      expect(await other.getByTestId("keep-quickbooks-open").innerText()).toContain(
        "keep QuickBooks Desktop open on the company file, with QuickBooks Web Connector running",
      );
      expect(await accessibilityViolations(other)).toEqual([]);
    } finally {
      await windowsComputer.close();
    }
    // The page follows the check the return had run, or reads the end-user from Conductor as it waits.
    await expect.poll(() => onboarding.connectionStatus().innerText(), { timeout: 30_000 }).toContain("Connected");
    await expect.poll(() => onboarding.connections().getByText("QuickBooks Desktop").count()).toBe(1);
    // Connected, the page no longer asks for a setup: it tells how to connect again.
    await page.getByTestId("connected-intro").waitFor();
    expect(await page.getByText("This page shows the status as soon as QuickBooks Desktop answers").count()).toBe(0);
    await expectHealthy(page);
  });

  test("follows another account signed in from another tab: that company's page, its status live, with no warning left over", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Switched From Ltd");
    const { client, endUser } = await h.onboardedCustomer("e2e-switched-to", "Switched To Ltd");
    const token = [...client.cookies].find(([name]) => name.endsWith("session-token"))![1];
    // What signing in as someone else in another tab of this browser leaves: their session cookie.
    await page.context().addCookies([{ name: "next-auth.session-token", value: token, url: h.stack.appOrigin }]);
    await page.getByText("Switched To Ltd").first().waitFor({ timeout: 15_000 });
    expect(await page.getByText("no longer available").count()).toBe(0);
    expect(await page.getByText("Switched From Ltd").count()).toBe(0);

    const { authFlowUrl } = (
      (await (await client.json(`/api/end-users/${endUser.id}/auth-sessions`, {})).json()) as {
        authSession: { authFlowUrl: string };
      }
    ).authSession;
    await pressSetupButton(authFlowUrl);
    await expect.poll(() => onboarding.connectionStatus().innerText(), { timeout: 30_000 }).toContain("Connected");
    await expectHealthy(page);
  });

  test("follows an offboarding and a sign-out that happen elsewhere while it waits", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Gone Elsewhere Ltd");
    const operator = await h.operator();
    expect(
      (await operator.fetch(`/api/end-users/${await onboarding.conductorId()}`, { method: "DELETE" })).status,
    ).toBe(200);
    // The server's page for a customer whose end-user was offboarded: step 1 again.
    await onboarding.companyName().waitFor({ timeout: 15_000 });

    await nameCompany(onboarding, "Signed Out Elsewhere Ltd");
    const email = await page.locator("header .who span").first().innerText();
    expect(email).toContain("@");
    expect(await page.getByRole("button", { name: "Sign out", exact: true }).count()).toBe(1);
    await page.context().clearCookies();
    await page.waitForURL(/\/signin\?callbackUrl=%2Fonboarding/, { timeout: 15_000 });
    await page.getByText("Your session has ended").waitFor();
    // The header no longer names the person who signed out, nor offers to sign them out.
    expect(await page.locator("header").innerText()).not.toContain(email);
    expect(await page.getByRole("button", { name: "Sign out", exact: true }).count()).toBe(0);
    await expectHealthy(page);
  });

  test("sees Conductor's advice when QuickBooks cannot be reached, with the check's request id for support, then Connected after checking again", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    const endUserId = await checkedOffline(onboarding, "Offline Desk Co");
    expect(await onboarding.connectionMessage().innerText()).toMatch(
      /Web Connector is running[\s\S]*Conductor request id: req_[a-z0-9]+/,
    );
    expect(await onboarding.check().innerText()).toBe("Check again");
    // The step's own words say the fix is at that computer, then a check: not the first setup's.
    await expect
      .poll(() => page.getByTestId("needs-attention-intro").innerText())
      .toMatch(/set up, but it did not answer[\s\S]*then press Check again/);
    // The button kept the focus through its check.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Check again");
    // The setup is done and the fix is at that computer: checking again is the main action, not
    // opening the setup again; what the check found is told as a warning, not as good news.
    expect((await onboarding.check().getAttribute("class")) ?? "").not.toMatch(/secondary/);
    expect(await onboarding.openSetup().getAttribute("class")).toMatch(/secondary/);
    const said = page.locator(".notice", { hasText: checkedMessage("Needs attention") });
    expect(await said.getAttribute("class")).toMatch(/notice-warn/);
    // Each thing is said by one live region: none sits inside another (some screen readers would
    // read it twice), and the advice is read with the status line it completes.
    const live = "[role=status], [role=alert], [aria-live]";
    const panel = page.getByTestId("connection");
    const nested = await panel.evaluate(
      (element, selector) =>
        [...element.querySelectorAll(selector)].filter((region) => region.parentElement?.closest(selector)).length,
      live,
    );
    expect(nested).toBe(0);
    expect(
      await onboarding.connectionMessage().evaluate((advice, selector) => advice.closest(selector)?.textContent, live),
    ).toMatch(/^Needs attention\. QuickBooks Desktop could not be reached\.[\s\S]*Web Connector is running/);
    await expectHealthy(page, "connect-needs-attention");

    await h.emulator.setConnection(endUserId, "connected");
    await onboarding.check().click();
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Connected");
    expect(await onboarding.connectionMessage().count()).toBe(0);
    const good = page.locator(".notice", { hasText: checkedMessage("Connected") });
    expect(await good.getAttribute("class")).toMatch(/notice-ok/);
    expect(await onboarding.check().getAttribute("class")).toMatch(/secondary/);
    expect((await onboarding.openSetup().getAttribute("class")) ?? "").not.toMatch(/secondary/);
    await page.getByTestId("connected-intro").waitFor();
    expect(await page.getByTestId("needs-attention-intro").count()).toBe(0);
    await expectHealthy(page);
  });

  test("a check that reaches the server after an offboarding shows no status or actions beside what says the company was offboarded", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Checked After Offboarding Co");
    const endUserId = await onboarding.conductorId();
    const held = opened();
    const release = opened();
    await page.route(
      "**/onboarding",
      async (route) => {
        if (route.request().method() !== "POST" || route.request().headers()["next-action"] === undefined)
          return route.fallback();
        held.resolve();
        await release.promise;
        return route.fallback();
      },
      { times: 1 },
    );
    // Every moment the panel says "offboarded", recorded with whether a status or an action stood beside it.
    await page.evaluate(() => {
      const seen = { offboarded: false, contradicted: false };
      Object.assign(window, { panelSeen: seen });
      const look = () => {
        const panel = document.querySelector('[data-testid="connection"]');
        if (!panel || !/offboarded/.test(panel.textContent ?? "")) return;
        seen.offboarded = true;
        const buttons = [...panel.querySelectorAll<HTMLElement>("button[data-action]")].filter((b) =>
          b.checkVisibility(),
        );
        if (panel.querySelector('[data-testid="connection-status"]') || buttons.length) seen.contradicted = true;
      };
      new MutationObserver(look).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    await onboarding.check().click();
    await held.promise;
    const operator = await h.operator();
    expect((await operator.fetch(`/api/end-users/${endUserId}`, { method: "DELETE" })).status).toBe(200);
    release.resolve();
    // The server's page for a customer whose end-user was offboarded: step 1 again.
    await onboarding.companyName().waitFor({ timeout: 15_000 });
    const seen = await page.evaluate(
      () => (window as unknown as { panelSeen: { offboarded: boolean; contradicted: boolean } }).panelSeen,
    );
    expect(seen).toEqual({ offboarded: true, contradicted: false });
    await expectHealthy(page);
  });

  test("a check whose call does not come back keeps the panel and the focus on its button, says the outcome is not known, and checking again works", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Dropped Check Co");
    const endUserId = await onboarding.conductorId();
    await h.emulator.setConnection(endUserId, "offline");
    await page.route(
      "**/onboarding",
      (route) =>
        route.request().method() === "POST" && route.request().headers()["next-action"] !== undefined
          ? route.abort("failed")
          : route.fallback(),
      { times: 1 },
    );
    await onboarding.check().click();
    const lost = page.getByTestId("action-call-lost");
    await lost.waitFor();
    expect(await lost.innerText()).toContain("may or may not have been done");
    expect(await page.getByTestId("error-page").count()).toBe(0);
    // The panel was shown afresh; the button pressed has the focus again, not the page's body.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-action"))).toBe("check");
    for (const problem of takeProblems(page)) expect(problem).toMatch(/Failed to fetch|net::ERR_FAILED/);

    await onboarding.check().click();
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Needs attention");
    await expect.poll(() => lost.count()).toBe(0);
    await expectHealthy(page);
  });

  test("drops what the last check said once the status changes elsewhere, as it drops the setup's and the email's", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    const endUserId = await checkedOffline(onboarding, "Stale Check Co");
    const said = page.getByText(checkedMessage("Needs attention"));
    await said.waitFor();

    // The setup completed again on the computer with QuickBooks, from another tab.
    const opened = await page.request.post(`${h.stack.appOrigin}/api/end-users/${endUserId}/auth-sessions`, {
      data: {},
    });
    expect(opened.status()).toBe(201);
    const { authSession } = (await opened.json()) as { authSession: { authFlowUrl: string } };
    const completed = await fetch(authSession.authFlowUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "decision=complete",
      redirect: "manual",
    });
    expect(completed.status).toBeLessThan(400);
    await expect.poll(() => onboarding.connectionStatus().innerText(), { timeout: 30_000 }).toContain("Connected");
    expect(await said.count()).toBe(0);
    await expectHealthy(page);
  });

  test("drops what the last check said once a later check is shown, though that check found the same status", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    const endUserId = await checkedOffline(onboarding, "Checked Twice Co");
    const said = page.getByText(checkedMessage("Needs attention"));
    await said.waitFor();
    // Checked again from another tab (or by an operator): the same status, at a later time.
    await checkElsewhere(page, endUserId, "offline");
    await expect.poll(() => said.count(), { timeout: 15_000 }).toBe(0);
    expect(await onboarding.connectionStatus().innerText()).toContain("Needs attention");
    await expectHealthy(page);
  });

  test("keeps the last status, with a notice and Conductor's request id, when the check fails on Conductor's side", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Failing Check Ltd");
    await h.emulator.setConnection(await onboarding.conductorId(), "connected");
    await onboarding.check().click();
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Connected");

    await h.emulator.arm({
      provider: "conductor",
      path: "/quickbooks-desktop/health-check",
      status: 500,
      delayMs: 1_000,
      times: 3,
    });
    await onboarding.check().click();
    // While it runs, the panel says how long it may take: this app's health-check timeout, 3 s.
    expect(await page.getByTestId("check-running").innerText()).toContain("this can take up to 3 seconds");
    // Said in the panel's own live region, not as an alert of its own inside it (read twice).
    const notice = page
      .getByTestId("connection")
      .locator(".notice-error")
      .filter({ hasText: "Conductor had a problem answering" });
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/Conductor request id: req_[a-z0-9]+/);
    expect(await notice.innerText()).toContain(
      "Not checked: Conductor had a problem answering. Try again shortly. The status shown is the last one known.",
    );
    expect(await onboarding.connectionStatus().innerText()).toContain("Connected");
    await expectHealthy(page, "connect-check-failed");
  });

  test("reads a copy older than a poll again as soon as the page is up, and says when the status shown was read from Conductor", async ({
    browser,
  }) => {
    const { client, endUser } = await h.onboardedCustomer("e2e-read-at", "Read At Ltd");
    // Completed on the Windows computer from an emailed link: Conductor knows, the cache does not.
    await h.emulator.setConnection(endUser.id, "connected");
    await inOwnContext(browser, client, async (page) => {
      const url = h.stack.appOrigin;
      // The page's clock stands still unless moved: no poll runs by itself.
      const now = Date.now();
      await page.clock.install({ time: now });
      await page.clock.pauseAt(now + 1_000);
      const read = page.waitForRequest((request) => request.url().includes(`/api/end-users/${endUser.id}?maxAge=`), {
        timeout: 10_000,
      });
      await page.goto(`${url}/onboarding`);
      const readAt = page.getByTestId("connection-read-at");
      expect(await readAt.innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      expect(await page.getByTestId("connection-status").innerText()).toContain("Not started");
      // Far less than a poll's 3 s: only the read on arrival can answer.
      await page.clock.runFor(10);
      await read;
      await expect.poll(() => page.getByTestId("connection-status").innerText()).toContain("Connected");
    });
  });

  test("drops a read that answers after a later one: a poll held past a check never puts the status from before the check back", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Late Read Co");
    const endUserId = await onboarding.conductorId();
    const isRead = readOf(endUserId);
    // The next read is answered as the server answers it now, before the check, but only once released.
    const release = opened();
    const answered = opened();
    await page.route(
      isRead,
      async (route) => {
        const answer = await route.fetch();
        answered.resolve();
        await release.promise;
        await route.fulfill({ response: answer });
      },
      { times: 1 },
    );
    await answered.promise;
    expect(await onboarding.connectionStatus().innerText()).toContain("Not started");

    await h.emulator.setConnection(endUserId, "offline");
    await onboarding.check().click();
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Needs attention");
    await page.getByTestId("connection-status").evaluate((status) => {
      const seen: string[] = ((window as unknown as { statusesSeen: string[] }).statusesSeen = []);
      new MutationObserver(() => seen.push(status.textContent ?? "")).observe(status, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    release.resolve();
    // The held answer, then two polls after it.
    for (let poll = 0; poll < 3; poll++)
      await page.waitForResponse((response) => isRead(new URL(response.url())), { timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { statusesSeen: string[] }).statusesSeen)).toEqual([]);
    expect(await page.getByText(checkedMessage("Needs attention")).count()).toBe(1);
    await expectHealthy(page);
  });

  test("keeps what a check found when a poll that began after it brings that status before the check's own read does", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Early Poll Co");
    const endUserId = await onboarding.conductorId();
    const isRead = readOf(endUserId);
    const { held, stop } = await holdReads(page, endUserId);
    await h.emulator.setConnection(endUserId, "offline");
    await onboarding.check().click();
    const said = page.getByText(checkedMessage("Needs attention"));
    await said.waitFor();
    // The check's own read leaves at once; a poll, up to 3 s later.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = held.length;
    await expect.poll(() => held.length).toBeGreaterThan(before);
    held[before]!.resolve();
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Needs attention");
    expect(await said.count()).toBe(1);

    stop();
    for (const released of held) released.resolve();
    await page.waitForResponse((response) => isRead(new URL(response.url())), { timeout: 10_000 });
    expect(await onboarding.connectionStatus().innerText()).toContain("Needs attention");
    expect(await said.count()).toBe(1);
    await expectHealthy(page);
  });

  test("does not bring back a check's outcome it dropped when the status later returns to what that check found", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    const endUserId = await checkedOffline(onboarding, "Returning Status Co");
    const said = page.getByText(checkedMessage("Needs attention"));
    await said.waitFor();
    // Checked elsewhere twice (another tab, the operator): Connected, then Needs attention again.
    await checkElsewhere(page, endUserId, "connected");
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Connected");
    expect(await said.count()).toBe(0);
    await checkElsewhere(page, endUserId, "offline");
    // Connected, the panel reads every 30 s: coming back to the tab reads at once.
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Needs attention");
    expect(await said.count()).toBe(0);
    await expectHealthy(page);
  });

  test("drops a check's outcome when the read that follows it finds the status changed meanwhile", async ({
    customer: { page },
    onboardingPage: onboarding,
  }) => {
    await nameCompany(onboarding, "Changed Meanwhile Co");
    const endUserId = await onboarding.conductorId();
    const { held, stop } = await holdReads(page, endUserId);
    await h.emulator.setConnection(endUserId, "offline");
    await onboarding.check().click();
    const said = page.getByText(checkedMessage("Needs attention"));
    await said.waitFor();
    await expect.poll(() => held.length).toBeGreaterThan(0);

    // Before the check's own read answers, the setup is completed again and checked from another tab.
    await checkElsewhere(page, endUserId, "connected");
    stop();
    for (const released of held) released.resolve();
    await expect.poll(() => onboarding.connectionStatus().innerText()).toContain("Connected");
    await expect.poll(() => said.count()).toBe(0);
    await expectHealthy(page);
  });

  test("says when the status it shows could not be refreshed: Conductor's failure with its request id, then a server it cannot reach", async ({
    browser,
  }) => {
    const { client, endUser } = await h.onboardedCustomer("e2e-unrefreshed", "Unrefreshed Ltd");
    await onboardingUnwatched(browser, client, async (page) => {
      const stale = page.getByTestId("connection-stale");
      const said = () => stale.innerText().catch(() => "");
      await failConductorReads(endUser.id);
      await expect
        .poll(said, { timeout: 15_000 })
        .toMatch(/Conductor had a problem answering[\s\S]*Conductor request id: req_[a-z0-9]+/);

      await h.emulator.disarm();
      // The panel's read of the end-user, whatever its query (`?maxAge=`).
      const panelRead = (url: URL) => url.pathname === `/api/end-users/${endUser.id}`;
      await page.route(panelRead, (route) => route.abort());
      await expect
        .poll(said, { timeout: 15_000 })
        .toContain(
          "We could not reach the server to refresh this status: it shows what was last known, and this page keeps trying.",
        );
      await page.unroute(panelRead);
      await expect.poll(() => stale.count(), { timeout: 15_000 }).toBe(0);
      expect(await page.getByTestId("connection-status").innerText()).toContain("Not started");

      // An answer cut off on the way says the same, and throws nothing in the page.
      const thrown: string[] = [];
      page.on("pageerror", (error) => thrown.push(error.message));
      await page.route(panelRead, (route) =>
        route.fulfill({ status: 200, contentType: "application/json", body: '{"endUser":{"connection":' }),
      );
      await expect.poll(said, { timeout: 15_000 }).toContain("We could not reach the server to refresh this status");
      await page.unroute(panelRead);
      await expect.poll(() => stale.count(), { timeout: 15_000 }).toBe(0);
      expect(thrown).toEqual([]);
    });
  });

  test("reads Conductor's advice right after the status line it completes, and a status that could not be refreshed after both", async ({
    browser,
  }) => {
    const { client, endUser } = await h.onboardedCustomer("e2e-advice-order", "Advice Order Ltd");
    await h.emulator.setConnection(endUser.id, "offline");
    expect((await client.json(`/api/end-users/${endUser.id}/connection/check`, {})).status).toBe(200);
    await onboardingUnwatched(browser, client, async (page) => {
      await page.getByTestId("connection-message").waitFor();
      await failConductorReads(endUser.id);
      await page.getByTestId("connection-stale").waitFor({ timeout: 15_000 });
      const order = await page
        .getByTestId("connection")
        .evaluate((panel) => [...panel.querySelectorAll<HTMLElement>("[data-testid]")].map((e) => e.dataset.testid));
      expect(order.filter((id) => id === "connection-status" || id?.match(/^connection-(message|stale)$/))).toEqual([
        "connection-status",
        "connection-message",
        "connection-stale",
      ]);
    });
  });
});

describe("an operator in Chromium", () => {
  test("reads a customer's unreachable QuickBooks Desktop as the customer's computer, and Conductor's advice as said to them", async ({
    operator: { page },
    endUserPage: detail,
  }) => {
    const { client, endUser } = await h.onboardedCustomer("e2e-operator-wording", "Operator Wording Ltd");
    await h.emulator.setConnection(endUser.id, "offline");
    expect((await client.json(`/api/end-users/${endUser.id}/connection/check`, {})).status).toBe(200);
    await detail.open(endUser.id);
    const status = page.getByTestId("connection").getByTestId("connection-status");
    await expect.poll(() => status.innerText()).toContain("Needs attention");
    expect(await status.innerText()).toContain(
      "Only someone at the customer's computer can fix it; Conductor's advice to them:",
    );
    expect(await status.innerText()).not.toContain("that computer");
  });

  test("sees a customer's status change, checks it, sends a connect link that its Activity shows at once, and filters the list by it", async ({
    operator: { page },
    endUsersPage: list,
    endUserPage: detail,
  }) => {
    const company = `Operator Watch ${Date.now()}`;
    const { client, endUser } = await h.onboardedCustomer("e2e-watched", company);
    await list.open(`?q=${encodeURIComponent(company)}`);
    await expect.poll(() => list.rows().first().innerText()).toContain("Not started");

    // The customer completes the setup elsewhere; the operator checks from the detail page.
    const session = await (await client.json(`/api/end-users/${endUser.id}/auth-sessions`, {})).json();
    await pressSetupButton(session.authSession.authFlowUrl);
    await detail.open(endUser.id);
    // Conductor's fresh copy already shows the successful request the setup made.
    await detail.live().waitFor();
    const panel = page.getByTestId("connection");
    await expect.poll(() => panel.getByTestId("connection-status").innerText()).toContain("Connected");
    expect(await panel.innerText()).toMatch(
      /Last health check\s+none yet: this status is Conductor's record of the connection/,
    );
    await panel.getByRole("button", { name: "Check now" }).click();
    // The re-rendered panel and the action's message arrive in one response but may paint apart.
    await expect.poll(() => panel.innerText()).toMatch(/Conductor request id\s+req_[a-z0-9]+/);
    await expect.poll(() => panel.innerText()).toMatch(checkedMessage("Connected"));
    await expectHealthy(page, "connect-operator-detail");

    await panel.getByRole("button", { name: "Send connect link" }).click();
    await expect
      .poll(() => panel.innerText())
      .toContain(`We emailed a setup link to ${endUser.email}, for the customer to open`);
    // The page's Activity follows without a reload.
    const activity = page.getByRole("region", { name: "Activity events" });
    await expect.poll(() => activity.innerText()).toContain("QuickBooks Desktop setup link emailed");

    await list.open(`?q=${encodeURIComponent(company)}`);
    await page
      .getByRole("navigation", { name: "Connection status" })
      .getByRole("link", { name: /^Connected/ })
      .click();
    await page.waitForURL(/status=connected/);
    await expect.poll(() => list.rows().count()).toBe(1);
    expect(await list.rows().first().innerText()).toContain(company);
    const chip = page.getByRole("link", { name: /^Connected/ });
    expect(await chip.getAttribute("aria-current")).toBe("page");
    expect(await chip.innerText()).toMatch(/Connected\s*1/);
    await page.getByRole("link", { name: /^Not started/ }).click();
    await page.waitForURL(/status=not_started/);
    await page.getByText(`No cached end-user matches “${company}” with status Not started.`).waitFor();
    await expectHealthy(page, "connect-operator-filter");
  });

  test("follows a check run elsewhere that finds the same status: the customer's emailed setup link shows in its Activity without a reload", async ({
    operator: { page },
    endUserPage: detail,
  }) => {
    const { client, endUser } = await h.onboardedCustomer("e2e-same-status", `Same Status ${Date.now()}`);
    await detail.open(endUser.id);
    await detail.live().waitFor();
    const activity = page.getByRole("region", { name: "Activity events" });
    expect(await activity.innerText()).not.toContain("QuickBooks Desktop setup link emailed");
    // The customer emails themselves the setup, then checks: still Not started, checked now.
    expect((await client.json(`/api/end-users/${endUser.id}/connect-link`, {})).status).toBe(202);
    const check = await client.json(`/api/end-users/${endUser.id}/connection/check`, {});
    expect((await check.json()).connection.status).toBe("not_started");
    await expect
      .poll(() => activity.innerText(), { timeout: 15_000 })
      .toContain("QuickBooks Desktop setup link emailed");
    expect(await page.getByTestId("connection-status").innerText()).toContain("Not started");
  });
});

describe("the connection panel's polling", () => {
  test("asks Conductor no more often than CONDUCTOR_READ_FRESH_SECONDS allows, however often it polls", async ({
    browser,
  }) => {
    const app = await h.startApp({ CONDUCTOR_READ_FRESH_SECONDS: "600" });
    const customer = await h.signIn(h.uniqueEmail("e2e-polling"), app.origin);
    const { endUser } = await (await customer.json("/api/end-users", { companyName: "Polled Often Ltd" })).json();
    await inOwnContext(
      browser,
      customer,
      async (page) => {
        const since = Date.now();
        await page.goto(`${app.origin}/onboarding`);
        const polled = (response: { url(): string }) =>
          new URL(response.url()).pathname === `/api/end-users/${endUser.id}`;
        for (let i = 0; i < 2; i++)
          expect((await page.waitForResponse(polled, { timeout: 15_000 })).status()).toBe(200);
        const path = `/end-users/${endUser.id}`;
        expect(await h.emulator.calls({ provider: "conductor", method: "GET", path, since })).toEqual([]);
      },
      app.origin,
    );
  });
});

describe("the connection panel's refusals", () => {
  /** An app that takes one check a minute per end-user, and a customer of it with an end-user. */
  async function oneCheckAMinute(label: string, companyName: string) {
    const app = await h.startApp({ CONNECTION_CHECK_RATE_LIMIT_PER_MINUTE: "1" });
    const customer = await h.signIn(h.uniqueEmail(label), app.origin);
    expect((await customer.json("/api/end-users", { companyName })).status).toBe(201);
    return { app, customer };
  }

  test("without JavaScript, a refused Check now comes back saying why and until when", async ({ browser }) => {
    const { app, customer } = await oneCheckAMinute("e2e-refused-no-script", "Refused Plainly Ltd");
    await inOwnContext(
      browser,
      customer,
      async (page) => {
        await page.goto(`${app.origin}/onboarding`);
        await page.getByRole("button", { name: "Check now" }).click();
        await page.getByText(checkedMessage("Not started")).waitFor();
        await page.getByRole("button", { name: "Check now" }).click();
        await page.getByText(/checks are used up until the next minute[\s\S]*Wait \d+ s \(until/).waitFor();
      },
      app.origin,
      { javaScriptEnabled: false },
    );
  });

  test("replaces a refusal to check again, once the wait it names is over (counted from when it arrived), with a note that the wait is over, which another button's answer then replaces", async ({
    browser,
  }) => {
    const { app, customer } = await oneCheckAMinute("e2e-waited", "Waited Out Ltd");
    await inOwnContext(
      browser,
      customer,
      async (page) => {
        // The page's timers run on a clock the test moves: the wait passes without waiting a minute.
        await page.clock.install();
        await page.goto(`${app.origin}/onboarding`);
        const onboarding = new OnboardingPage(page);
        await onboarding.check().click();
        await page.getByText(checkedMessage("Not started")).waitFor();
        await onboarding.check().click();
        const refusal = page.getByText(/checks are used up until the next minute[\s\S]*Wait \d+ s \(until/);
        await refusal.waitFor();
        const seconds = Number(/Wait (\d+) s/.exec(await refusal.innerText())![1]);
        // Still true two seconds before its end (unless the minute was nearly over when it came).
        if (seconds > 3) {
          await page.clock.fastForward((seconds - 2) * 1_000);
          expect(await refusal.count()).toBe(1);
        }
        await page.clock.fastForward(3_000);
        await expect.poll(() => refusal.count()).toBe(0);
        // Said in its place, in the same live region: what was said is no longer so.
        const waitedOut = page.getByText("The wait is over: you can check again.");
        await waitedOut.waitFor();
        expect(await onboarding.check().isEnabled()).toBe(true);

        // Another button's answer replaces it: no note about the check stands beside what the email says.
        await page.getByRole("button", { name: "Email me this link" }).click();
        await page.getByText(/We emailed a setup link/).waitFor();
        expect(await waitedOut.count()).toBe(0);
        expect(await page.getByText(/checks are used up|The wait is over/).count()).toBe(0);
      },
      app.origin,
    );
  });
});
