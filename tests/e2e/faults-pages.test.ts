/**
 * Pages while Postgres is away (a server of the test's own): a signed-in customer gets an error
 * page with a "Try again" button instead of being sent to sign in, and the button brings the page
 * back once Postgres returns, without restarting the app.
 */
import { expect } from "vitest";
import { h } from "../support/harness";
import { test } from "./fixtures";

test("a page answers with an error page while the database is down, and its retry recovers", async ({ browser }) => {
  const pg = await h.own.postgres();
  const app = await h.startApp({ DATABASE_URL: pg.url });
  const customer = await h.signIn(h.uniqueEmail("e2e-outage"), app.origin);
  // The failing document load is logged by the browser on purpose here: no watched page.
  const context = await browser.newContext();
  try {
    await context.addCookies(
      [...customer.cookies].map(([name, value]) => ({ name, value, url: app.origin, httpOnly: true })),
    );
    const page = await context.newPage();
    await page.goto(`${app.origin}/onboarding`);
    await page.getByRole("heading", { name: "Connect your company" }).waitFor();

    await pg.stop();
    await page.goto(`${app.origin}/onboarding`);
    await page.getByRole("heading", { name: "Something went wrong" }).waitFor();
    expect(page.url()).toBe(`${app.origin}/onboarding`);

    await pg.start();
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("heading", { name: "Connect your company" }).waitFor();
  } finally {
    await context.close();
  }
});
