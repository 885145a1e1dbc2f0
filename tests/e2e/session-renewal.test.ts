/**
 * Keeping a signed-in person signed in: pages cannot set cookies, so the browser asks next-auth
 * for the session (at most once a day) and its answer renews the session cookie.
 */
import type { Page, Request } from "playwright-core";
import { describe, expect } from "vitest";
import { sessionCookieFor } from "@/lib/web/auth/session-cookies";
import { h } from "../support/harness";
import { expectHealthy, test } from "./fixtures";

const RENEWED_AT = "session-renewed-at";
const DAY_MS = 24 * 60 * 60 * 1000;

async function sessionCookie(page: Page) {
  const name = sessionCookieFor(h.stack.appOrigin);
  const cookie = (await page.context().cookies()).find((candidate) => candidate.name === name);
  if (!cookie) throw new Error(`no ${name} cookie`);
  return cookie;
}

const renewedAt = (page: Page) => page.evaluate((key) => localStorage.getItem(key), RENEWED_AT);

describe("a signed-in person's session cookie in Chromium", () => {
  test("is renewed with a later expiry by the first page opened a day after the last renewal, from a private no-store answer, and not again that day", async ({
    customer: { page },
  }) => {
    // The page signing in landed on renews at once: nothing was renewed in this browser yet.
    await expect.poll(() => renewedAt(page)).not.toBeNull();
    const before = await sessionCookie(page);

    await page.evaluate(({ key, at }) => localStorage.setItem(key, at), {
      key: RENEWED_AT,
      at: String(Date.now() - DAY_MS - 1),
    });
    // Cookie expiries are whole seconds: a renewal a second later shows.
    await page.waitForTimeout(1_100);
    const renewal = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/auth/session");
    await page.reload();
    const answer = await renewal;
    expect(answer.status()).toBe(200);
    expect(answer.headers()["cache-control"]).toContain("no-store");
    expect(answer.headers()["cache-control"]).toContain("private");

    await expect.poll(async () => (await sessionCookie(page)).expires).toBeGreaterThan(before.expires);
    const after = await sessionCookie(page);
    expect(after.value).toBe(before.value);
    expect(after.httpOnly).toBe(true);
    expect(after.expires - Date.now() / 1000).toBeGreaterThan(29 * 24 * 60 * 60);

    const asked: Request[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/auth/session") asked.push(request);
    });
    await page.reload();
    await page.waitForLoadState("networkidle");
    expect(asked).toEqual([]);
    await expectHealthy(page);
  });

  test("is not asked for by a signed-out page", async ({ page }) => {
    const asked: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/auth/session") asked.push(request.url());
    });
    await page.goto(`${h.stack.appOrigin}/`);
    await page.waitForLoadState("networkidle");
    expect(asked).toEqual([]);
    expect(await renewedAt(page)).toBeNull();
  });
});
