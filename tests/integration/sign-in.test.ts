import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { signInForm } from "../support/http";

/** How many errors the stack's app has logged so far (it writes its log as it goes). */
async function loggedErrors(): Promise<number> {
  await h.client().fetch("/api/health");
  return readFileSync(h.stack.appLogFile, "utf8")
    .split("\n")
    .filter((line) => line.includes('"level":"error"')).length;
}

/** next-auth's callback for an emailed link, as the confirm page's button would send it. */
const callbackOf = (link: string) => `/api/auth/callback/email${new URL(link).search}`;

/**
 * A signed-in victim (who they are signed in as, now and before), and an attacker's unused link:
 * its confirm page and the next-auth callback it stands for.
 */
async function signedInVictimAndAttackersLink(label: string) {
  const victim = await h.signIn(h.uniqueEmail(`${label}-victim`));
  const victimEmail = async () =>
    ((await (await victim.fetch("/api/auth/session")).json()) as { user?: { email: string } }).user?.email;
  const before = await victimEmail();
  const { link } = await h.requestSignInLink(h.uniqueEmail(`${label}-attacker`));
  const confirm = new URL(link);
  return { victim, victimEmail, before, confirm, callback: `/api/auth/callback/email${confirm.search}` };
}

describe("sign-in by emailed link", () => {
  it("sends the link over SMTP, establishes a session when followed, and refuses the link a second time", async () => {
    const email = h.uniqueEmail("signin");
    const { client, link } = await h.requestSignInLink(email);

    const [mail] = await h.mail.to(email);
    expect(mail).toMatchObject({ to: [email], from: expect.stringContaining("no-reply@example.test") });
    expect(new URL(link).origin).toBe(h.stack.appOrigin);
    // What it is for, how long it works, that it replaces earlier ones; an HTML document that shows the
    // address too; marked as sent by the app, so auto-responders stay quiet.
    const host = new URL(h.stack.appOrigin).host;
    expect(mail!.subject).toBe(`Sign in to Conductor Onboarding at ${host}`);
    expect(mail!.text).toMatch(/The link works once, for 15 minutes: until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
    expect(mail!.text).toContain("It replaces any sign-in link sent to this address before.");
    expect(mail!.html).toMatch(/^<!doctype html><html lang="en"><head><meta charset="utf-8">/);
    expect(mail!.html).toContain(`Or open this address: ${link.replaceAll("&", "&amp;")}</p>`);
    expect(mail!.autoSubmitted).toBe("auto-generated");
    expect(mail!.replyTo).toBeNull();

    const followed = await h.followSignInLink(client, link);
    expect(followed.status).toBe(302);
    expect(followed.headers.get("location")).toBe(`${h.stack.appOrigin}/onboarding`);
    const session = (await (await client.fetch("/api/auth/session")).json()) as { user: { email: string; id: string } };
    expect(session.user.email).toBe(email);

    // Its page says so before any button, and the callback behind it refuses it anyway.
    const usedPage = await (await h.client().fetch(link)).text();
    expect(usedPage).toContain(
      "This sign-in link was already used, or replaced by a newer one sent to the same address.",
    );
    expect(signInForm(usedPage)).toBeNull();
    const again = await h.client().fetch(callbackOf(link));
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toContain("error=Verification");
  });

  it("says on an expired link's page when it expired, offering a new link rather than a button that would fail", async () => {
    const email = h.uniqueEmail("expired-link");
    const { client, link } = await h.requestSignInLink(email);
    await h.sql(`UPDATE "VerificationToken" SET "expires" = now() - interval '1 minute' WHERE "identifier" = $1`, [
      email,
    ]);
    const page = (await (await client.fetch(link)).text()).replaceAll("<!-- -->", "");
    expect(page).toMatch(/This sign-in link expired at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. Ask for a new one\./);
    expect(page).toContain('href="/signin"');
    expect(signInForm(page)).toBeNull();
    expect((await client.fetch(callbackOf(link))).headers.get("location")).toContain("error=Verification");
    expect(client.signedIn).toBe(false);
  });

  it("lets only the newest link sent to an address sign in: one asked for earlier is refused as used or replaced", async () => {
    const email = h.uniqueEmail("replaced");
    const first = await h.requestSignInLink(email);
    const second = await h.requestSignInLink(email);
    expect(second.link).not.toBe(first.link);

    const page = await (await first.client.fetch(first.link)).text();
    expect(page).toContain("replaced by a newer one sent to the same address. Use the newest link in that inbox");
    expect(signInForm(page)).toBeNull();
    const replaced = await first.client.fetch(callbackOf(first.link));
    expect(replaced.headers.get("location")).toContain("error=Verification");
    expect(first.client.signedIn).toBe(false);
    const errorPage = await (await h.fetch(replaced.headers.get("location")!)).text();
    expect(errorPage).toContain("was replaced by a newer one sent to the same address");

    const newest = await h.followSignInLink(second.client, second.link);
    expect(newest.headers.get("location")).toBe(`${h.stack.appOrigin}/onboarding`);
    expect(second.client.signedIn).toBe(true);
  });

  it("answers a link stripped of its email as an unknown link (Verification), logs no error, and leaves the real link working", async () => {
    const email = h.uniqueEmail("no-email");
    const { client, link } = await h.requestSignInLink(email);
    const form = signInForm(await (await client.fetch(link)).text());
    if (!form) throw new Error("the link's page has no sign-in button");
    const { email: _dropped, ...fields } = form.fields;
    const errorsBefore = await loggedErrors();
    const stripped = await client.fetch(`${form.action}?${new URLSearchParams(fields)}`);
    expect(stripped.status).toBe(302);
    expect(stripped.headers.get("location")).toContain("error=Verification");
    expect(client.signedIn).toBe(false);
    expect(await loggedErrors()).toBe(errorsBefore);

    const followed = await h.followSignInLink(client, link);
    expect(followed.headers.get("location")).toBe(`${h.stack.appOrigin}/onboarding`);
  });

  it("answers a link stripped of its token as an unknown link (Verification), logging no error", async () => {
    const client = h.client();
    const errorsBefore = await loggedErrors();
    for (const query of [
      "",
      "?email=someone%40example.test",
      "?token=&email=someone%40example.test",
      "?token=abc&token=&email=a%40b.test",
    ]) {
      const stripped = await client.fetch(`/api/auth/callback/email${query}`);
      expect(stripped.status).toBe(302);
      expect(stripped.headers.get("location")).toContain("error=Verification");
    }
    expect(client.signedIn).toBe(false);
    expect(await loggedErrors()).toBe(errorsBefore);
  });

  it("warns on the confirm page that another account signed in in this browser will be replaced, and names it; a browser signed in as nobody is not warned", async () => {
    const current = h.uniqueEmail("already-here");
    const { client, link: first } = await h.requestSignInLink(current);
    await h.followSignInLink(client, first);
    const { link } = await h.requestSignInLink(h.uniqueEmail("arriving"));
    const page = (await (await client.fetch(link)).text()).replaceAll("<!-- -->", "");
    expect(page).toContain(`This browser is signed in as <strong>${current}</strong> now.`);
    const stranger = (await (await h.client().fetch(link)).text()).replaceAll("<!-- -->", "");
    expect(stranger).not.toContain("This browser is signed in as");
  });

  it("signs no one in when the link is only opened (a mail scanner), so its owner's click still works", async () => {
    const email = h.uniqueEmail("scanned");
    const { client, link } = await h.requestSignInLink(email);
    expect(new URL(link).pathname).toBe("/signin/confirm");
    for (let i = 0; i < 3; i++) {
      const scanner = h.client();
      const opened = await scanner.fetch(link);
      expect(opened.status).toBe(200);
      expect(await opened.text()).toContain(`Sign in as <strong>${email}</strong>?`);
      expect(scanner.signedIn).toBe(false);
    }
    expect(
      await h.count(`SELECT 1 FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1`, [email]),
    ).toBe(0);
    const followed = await h.followSignInLink(client, link);
    expect(followed.headers.get("location")).toBe(`${h.stack.appOrigin}/onboarding`);
    expect(client.signedIn).toBe(true);
  });

  it("tells the person the link already signed in that they are signed in, with a way on; anyone else that it was used, with no button", async () => {
    const email = h.uniqueEmail("link-again");
    const { client, link } = await h.requestSignInLink(email);
    await h.followSignInLink(client, link);
    const url = new URL(link);
    url.searchParams.set("callbackUrl", `${h.stack.appOrigin}/onboarding`);
    const again = (await (await client.fetch(url.pathname + url.search)).text()).replaceAll("<!-- -->", "");
    expect(again).toContain(`You are already signed in as <strong>${email}</strong>.`);
    expect(again).toMatch(/<a class="button" href="\/onboarding">Continue<\/a>/);
    expect(again).not.toContain("/api/auth/callback/email");

    const someoneElse = await h.signIn(h.uniqueEmail("link-other"));
    const other = await (await someoneElse.fetch(url.pathname + url.search)).text();
    expect(other).toContain("This sign-in link was already used, or replaced by a newer one");
    expect(signInForm(other)).toBeNull();
  });

  it.each([
    ["no token", (q: URLSearchParams) => q.delete("token")],
    ["a token that is not next-auth's shape", (q: URLSearchParams) => q.set("token", "x".repeat(64))],
    ["no email", (q: URLSearchParams) => q.delete("email")],
    ["an email that is no address", (q: URLSearchParams) => q.set("email", "<script>")],
  ])("answers a link with %s with a way to ask for a new one, and no button", async (_what, damage) => {
    const { link } = await h.requestSignInLink(h.uniqueEmail("damaged"));
    const url = new URL(link);
    damage(url.searchParams);
    const page = await h.client().fetch(url.pathname + url.search);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("This sign-in link is incomplete.");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("/api/auth/callback/email");
  });

  describe("without JavaScript", () => {
    const post = (body: string, origin = h.stack.appOrigin) =>
      h.client().fetch("/signin/email", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body,
        redirect: "manual",
      });

    it("the form posts itself to /signin/email, which emails the link and sends the browser to Check your email", async () => {
      const page = await (await h.client().fetch("/signin?callbackUrl=%2Fonboarding")).text();
      expect(/<form[^>]*>/.exec(page)?.[0]).toMatch(/ action="\/signin\/email" method="post"/);
      expect(page).toContain('<input type="hidden" name="callbackUrl" value="/onboarding"/>');
      const email = h.uniqueEmail("no-script");
      const answer = await post(`email=${encodeURIComponent(` ${email.toUpperCase()} `)}&callbackUrl=%2Fonboarding`);
      expect(answer.status).toBe(303);
      // A path: the browser stays on the address it used.
      expect(answer.headers.get("location")).toBe(`/signin/check-email?email=${encodeURIComponent(email)}`);
      const link = new URL(await h.mail.signInLink(email));
      expect(link.searchParams.get("callbackUrl")).toMatch(/\/onboarding$/);
    });

    it("sends an address it cannot email back to the form, shown with its problem and the focus, keeping where sign-in leads and the session-ended note; emails nothing", async () => {
      const client = h.client();
      const typed = "ann@example; x=1 \u00e9";
      const answer = await client.fetch("/signin/email", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: h.stack.appOrigin },
        body: new URLSearchParams({ email: typed, callbackUrl: "/end-users/end_usr_x", ended: "1" }).toString(),
        redirect: "manual",
      });
      expect(answer.status).toBe(303);
      expect(answer.headers.get("location")).toBe(
        "/signin?callbackUrl=%2Fend-users%2Fend_usr_x&error=InvalidAddress&ended=1",
      );
      const page = (await (await client.fetch(answer.headers.get("location")!)).text()).replaceAll("&#x27;", "'");
      const field = /<input[^>]*id="email"[^>]*>/.exec(page)?.[0];
      expect(field).toContain(`value="${typed}"`);
      expect(field).toContain('aria-invalid="true"');
      expect(field).toMatch(/autofocus/i);
      expect(page).toContain("sign-in cannot send to letters like é or ü yet.");
      expect(page).toContain('<input type="hidden" name="callbackUrl" value="/end-users/end_usr_x"/>');
      expect(page).toContain('<input type="hidden" name="ended" value="1"/>');
      expect(page).toContain('data-testid="session-ended"');
      expect(await h.mail.to("ann@example")).toEqual([]);
    });

    it("keeps a refused address of more than 254 characters cut at a whole character, an emoji across the cut included", async () => {
      const client = h.client();
      const typed = `${"a".repeat(253)}\u{1F600}${"b".repeat(10)}`;
      const answer = await client.fetch("/signin/email", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: h.stack.appOrigin },
        body: new URLSearchParams({ email: typed, callbackUrl: "/" }).toString(),
        redirect: "manual",
      });
      expect(answer.status).toBe(303);
      const page = await (await client.fetch(answer.headers.get("location")!)).text();
      expect(/<input[^>]*id="email"[^>]*>/.exec(page)?.[0]).toContain(`value="${"a".repeat(253)}\u{1F600}"`);
    });

    it("shows the form's problem for an address refused only when that post set it: a link naming its own address puts nothing in the field", async () => {
      const page = await (
        await h.client().fetch("/signin?error=InvalidAddress&email=Your%20account%20is%20locked.%20Call%20555-0100")
      ).text();
      expect(/<input[^>]*id="email"[^>]*>/.exec(page)?.[0]).toContain('value=""');
      expect(page).not.toMatch(/value="[^"]*555-0100/);
      expect(page).toContain("Enter an email address, like you@company.com.");
    });

    it("says a limit beside the address only after the post that met it: a link naming a limit alone shows the plain form", async () => {
      for (const error of ["AddressBusy", "RateLimited", "AddressRefused", "LinkUnconfirmed"]) {
        const page = await (await h.client().fetch(`/signin?error=${error}`)).text();
        expect(page, error).not.toContain('aria-invalid="true"');
        expect(page, error).not.toMatch(/Sign-in links were|Too many sign-in links|mail server/);
      }
    });

    it("sends a refusal of next-auth's to the error page, whose way back keeps where sign-in leads", async () => {
      const page = await (await h.client().fetch("/signin/error?error=RateLimited&callbackUrl=%2Fonboarding")).text();
      expect(page).toContain('href="/signin?callbackUrl=%2Fonboarding"');
      const forged = await (
        await h
          .client()
          .fetch(`/signin/error?error=RateLimited&callbackUrl=${encodeURIComponent("https://evil.example/")}`)
      ).text();
      expect(forged).toContain('href="/signin"');
      // The address itself travels in the page's router data; no link leads there.
      expect(forged).not.toMatch(/href="[^"]*evil\.example/);
    });

    it("takes a form with two addresses as naming none: back to the form, and no mail to either", async () => {
      const [first, second] = [h.uniqueEmail("no-script-first"), h.uniqueEmail("no-script-second")];
      const answer = await post(`email=${encodeURIComponent(first)}&email=${encodeURIComponent(second)}`);
      expect(answer.status).toBe(303);
      expect(answer.headers.get("location")).toBe("/signin?callbackUrl=%2F&error=InvalidAddress");
      expect(await h.mail.to(first)).toEqual([]);
      expect(await h.mail.to(second)).toEqual([]);
    });

    it("refuses a form posted from another site (403), a body that is no form (400) and a GET (405), emailing nothing", async () => {
      const email = h.uniqueEmail("no-script-forged");
      const forged = await post(`email=${encodeURIComponent(email)}`, "https://evil.example");
      expect(forged.status).toBe(403);
      expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("forbidden");
      const json = await h.client().fetch("/signin/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: h.stack.appOrigin },
        body: JSON.stringify({ email }),
      });
      expect(json.status).toBe(400);
      expect(((await json.json()) as { error: { fields: object } }).error.fields).toHaveProperty("form");
      expect((await h.client().fetch(`/signin/email?email=${encodeURIComponent(email)}`)).status).toBe(405);
      expect(await h.mail.to(email)).toEqual([]);
    });
  });

  it("keeps only a path on this site as where the button sends a person after sign-in", async () => {
    const { link } = await h.requestSignInLink(h.uniqueEmail("confirm-redirect"));
    const url = new URL(link);
    url.searchParams.set("callbackUrl", "https://evil.example/steal");
    const page = await h.client().fetch(url.pathname + url.search);
    const html = await page.text();
    expect(html).toContain('name="callbackUrl" value="/"');
    expect(html).not.toMatch(/(value|action)="[^"]*evil\.example/);
  });

  it.each(["toString", "constructor", "__proto__", "valueOf", "Nonsense"])(
    "answers the sign-in error page for the unknown code %s with its general message",
    async (code) => {
      const response = await h.fetch(`${h.stack.appOrigin}/signin/error?error=${code}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("Something went wrong while signing you in.");
    },
  );

  it("echoes on the check-email page only an email address, never other text the link carries", async () => {
    const page = async (email: string) =>
      (
        await (await h.fetch(`${h.stack.appOrigin}/signin/check-email?email=${encodeURIComponent(email)}`)).text()
      ).replaceAll("<!-- -->", "");
    expect(await page("someone@example.test")).toContain("to <strong>someone@example.test</strong>");
    // The page's own paragraph; the URL itself also travels in the page's router data.
    const said = /<p>We sent a sign-in link[^<]*(<strong>[^<]*<\/strong>)?[^<]*<\/p>/.exec(
      await page("Your account is locked. Call 555-0100"),
    )?.[0];
    expect(said).toBe(
      "<p>We sent a sign-in link. It works once and expires in 15 minutes; any link sent to this address before it no longer works.</p>",
    );
  });

  it("refuses a sign-in request without the CSRF token, and sends no mail", async () => {
    const email = h.uniqueEmail("nocsrf");
    const response = await h.client().fetch("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, json: "true" }),
    });
    expect(((await response.json()) as { url: string }).url).toContain("csrf=true");
    // Once a later sign-in's mail has arrived, a mail for the refused one would have too.
    await h.requestSignInLink(h.uniqueEmail("nocsrf-marker"));
    expect(await h.mail.to(email)).toEqual([]);
  });

  it("tells a person whose address the mail server refuses for good (550) that no link was sent and why, for next-auth's client and for a plain form post alike", async () => {
    const email = h.uniqueEmail("refused").replace("@", "+refused@");
    const asJson = await h.postSignInForm(email);
    expect(asJson.status).toBe(200);
    expect(((await asJson.json()) as { url: string }).url).toBe(
      `${h.stack.appOrigin}/signin/error?error=AddressRefused`,
    );

    const client = h.client();
    const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const asForm = await client.fetch("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email }),
    });
    expect(asForm.status).toBe(302);
    expect(asForm.headers.get("location")).toBe(`${h.stack.appOrigin}/signin/error?error=AddressRefused`);

    const page = await (await h.client().fetch("/signin/error?error=AddressRefused")).text();
    expect(page).toContain("The mail server refused to deliver to this address, so no sign-in link was sent.");
    expect(await h.mail.to(email)).toEqual([]);
    // A refused address is not the mail server being down: the usual "could not send" is not what it hears.
    const other = await h.postSignInForm(h.uniqueEmail("not-refused"));
    expect(((await other.json()) as { url: string }).url).not.toContain("error=");
  });

  it.each(['quoted-"q"@example.test', "nobody@localhost", "two@example.test,three@example.test", "josé@example.test"])(
    "tells a client that asks for a link to %s, which is no address sign-in takes, what is wrong, not to try again; no mail is sent",
    async (email) => {
      const asJson = await h.postSignInForm(email);
      expect(((await asJson.json()) as { url: string }).url).toBe(
        `${h.stack.appOrigin}/signin/error?error=InvalidAddress`,
      );
      const page = await (await h.client().fetch("/signin/error?error=InvalidAddress")).text();
      expect(page).toContain("That is not an email address we can send a sign-in link to, so none was sent.");
      expect(page.replaceAll("&#x27;", "'")).toContain(
        "Sign-in sends only to addresses written with a–z, 0–9 and . _ ' + - (not yet to letters like é or ü).",
      );
      expect(page).not.toContain("Try again in a moment");
      expect(await h.mail.to(email)).toEqual([]);
    },
  );

  it("answers a sign-in route that does not exist with 404 in the error envelope", async () => {
    for (const [path, method] of [
      ["/api/auth/nope", "GET"],
      ["/api/auth/nope", "POST"],
      ["/api/auth/verify-request/x", "POST"],
    ]) {
      const response = await h.client().fetch(path!, { method });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect((await response.json()).error.code).toBe("not_found");
    }
  });

  it("sends a browser that reaches next-auth's callback from anywhere but the confirm page (another site's link: login CSRF) to that page, signing nobody in; from the page itself it signs in", async () => {
    const { victim, victimEmail, before, confirm, callback } = await signedInVictimAndAttackersLink("csrf");

    for (const site of ["cross-site", "same-site", "none"]) {
      const response = await victim.navigate(callback, { "sec-fetch-site": site, "sec-fetch-mode": "navigate" });
      expect({ site, status: response.status }).toEqual({ site, status: 303 });
      const location = new URL(response.location!);
      expect(`${location.pathname}${location.search}`).toBe(`${confirm.pathname}${confirm.search}`);
      expect(await victimEmail()).toBe(before);
    }
    const page = await (await victim.fetch(`${confirm.pathname}${confirm.search}`)).text();
    expect(page).toContain("This browser is signed in as");

    const fromTheButton = await victim.navigate(callback, {
      "sec-fetch-site": "same-origin",
      "sec-fetch-mode": "navigate",
    });
    expect(fromTheButton.status).toBe(302);
    expect(await victimEmail()).not.toBe(before);
  });

  it("refuses next-auth's callback posted by any form (another site's included) with 405 and Allow: GET: nobody is signed in and the link still works", async () => {
    const victim = await h.signIn(h.uniqueEmail("post-csrf-victim"));
    const attackerEmail = h.uniqueEmail("post-csrf-attacker");
    const { link } = await h.requestSignInLink(attackerEmail);
    const callback = `/api/auth/callback/email${new URL(link).search}`;

    for (const site of ["cross-site", "same-origin"]) {
      const posted = await victim.fetch(callback, {
        method: "POST",
        headers: {
          "sec-fetch-site": site,
          "sec-fetch-mode": "navigate",
          origin: site === "cross-site" ? "https://evil.example" : h.stack.appOrigin,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "x=1",
      });
      expect({ site, status: posted.status, allow: posted.headers.get("allow") }).toEqual({
        site,
        status: 405,
        allow: "GET",
      });
      expect(((await posted.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
      expect(posted.headers.getSetCookie().join("\n")).not.toContain("session-token");
    }
    const session = (await (await victim.fetch("/api/auth/session")).json()) as { user?: { email: string } };
    expect(session.user?.email).not.toBe(attackerEmail);
    expect((await h.followSignInLink(h.client(), link)).status).toBe(302);
  });

  it("never lands a sign-in on next-auth's callback named as its callbackUrl (someone else's unused link): the person is signed in as themselves, on the home page", async () => {
    const attackerEmail = h.uniqueEmail("redirect-csrf-attacker");
    const attackerLink = new URL((await h.requestSignInLink(attackerEmail)).link);
    const smuggled = `/api/auth/callback/email${attackerLink.search}`;
    const victimEmail = h.uniqueEmail("redirect-csrf-victim");
    const { client, link } = await h.requestSignInLink(victimEmail, smuggled);
    expect(link).not.toContain(attackerLink.searchParams.get("token"));

    const followed = await h.followSignInLink(client, link);
    expect(followed.status).toBe(302);
    expect(followed.headers.get("location")).toBe(`${h.stack.appOrigin}/`);
    const session = (await (await client.fetch("/api/auth/session")).json()) as { user?: { email: string } };
    expect(session.user?.email).toBe(victimEmail);
    // The smuggled link was never followed: its owner can still use it.
    expect((await h.followSignInLink(h.client(), attackerLink.href)).status).toBe(302);
  });

  it("sends a request for next-auth's callback that is no navigation (a link's prefetch, a fetch) to the confirm page, signing nobody in", async () => {
    const { victim, victimEmail, before, confirm, callback } = await signedInVictimAndAttackersLink("prefetch");
    const requests: Record<string, string>[] = [
      { "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors", "next-router-prefetch": "1", rsc: "1" },
      { "sec-fetch-site": "same-origin", "sec-fetch-mode": "navigate", "sec-purpose": "prefetch" },
      { "sec-fetch-site": "same-origin", "sec-fetch-mode": "navigate", purpose: "prefetch" },
      { "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" },
      { "sec-fetch-site": "same-origin", "sec-fetch-mode": "no-cors" },
      { "next-router-prefetch": "1" },
    ];
    for (const headers of requests) {
      let response = await victim.navigate(callback, headers);
      // React data is asked for at the cache-busting address Next.js computes, as the router does.
      if (response.status === 307 && headers.rsc) response = await victim.navigate(response.location!, headers);
      expect({ headers, status: response.status }).toEqual({ headers, status: 303 });
      const location = new URL(response.location!, h.stack.appOrigin);
      location.searchParams.delete("_rsc");
      expect(`${location.pathname}${location.search}`).toBe(`${confirm.pathname}${confirm.search}`);
      expect(await victimEmail()).toBe(before);
    }
  });

  it("answers next-auth's own sign-out page (GET /api/auth/signout) with 405 and Allow: POST: this site signs out from its header's button", async () => {
    const email = h.uniqueEmail("signout-page");
    const client = await h.signIn(email);
    const response = await client.fetch("/api/auth/signout");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    const session = (await (await client.fetch("/api/auth/session")).json()) as { user?: { email: string } };
    expect(session.user?.email).toBe(email);
  });

  it("signs out by deleting the session, not just the cookie", async () => {
    const { client, link } = await h.requestSignInLink(h.uniqueEmail("signout"));
    await h.followSignInLink(client, link);
    const token = [...client.cookies].find(([name]) => name.endsWith("session-token"))![1];
    const stolen = h.client();
    stolen.cookies.set("next-auth.session-token", token);
    expect(((await (await stolen.fetch("/api/auth/session")).json()) as { user?: unknown }).user).toBeDefined();

    await h.actions.signOut(client);
    expect(await (await stolen.fetch("/api/auth/session")).json()).toEqual({});
  });

  it("signs out everywhere: every session of that user ends, in other browsers too, with the sign-in links sent and unused; another user's session and links stay", async () => {
    const email = h.uniqueEmail("signout-everywhere");
    const bystander = h.uniqueEmail("bystander");
    const [laptop, phone, someoneElse] = [await h.signIn(email), await h.signIn(email), await h.signIn(bystander)];
    const unused = await h.requestSignInLink(email);
    const theirs = await h.requestSignInLink(bystander);
    const signedIn = async (client: typeof laptop) =>
      ((await (await client.fetch("/api/auth/session")).json()) as { user?: unknown }).user !== undefined;
    expect([await signedIn(laptop), await signedIn(phone), await signedIn(someoneElse)]).toEqual([true, true, true]);
    // The button says what it does to screen readers and keyboards too, not in a hover title alone.
    const header = (await (await phone.fetch("/")).text()).replaceAll("&#x27;", "'");
    expect(/<button[^>]*value="everywhere"[^>]*>/.exec(header)?.[0]).toContain(
      'aria-describedby="sign-out-everywhere-note"',
    );
    expect(/<span id="sign-out-everywhere-note"[^>]*>([^<]*)<\/span>/.exec(header)?.[1]).toBe(
      "Ends your sessions in every browser and on every device, and cancels sign-in links sent to you and not yet used.",
    );

    const signOut = h.actions.id("lib/web/auth/sign-out.ts", "signOutAction");
    const result = await h.actions.call(phone, "/", signOut, { scope: "everywhere" });
    expect(result.redirect?.split(";")[0]).toBe("/?signed-out=everywhere");
    expect([await signedIn(laptop), await signedIn(phone), await signedIn(someoneElse)]).toEqual([false, false, true]);
    // Where it leads says so; the same address says nothing to someone signed in.
    expect(await (await phone.fetch("/?signed-out=everywhere")).text()).toContain(
      "You are signed out in every browser and on every device",
    );
    expect(await (await someoneElse.fetch("/?signed-out=everywhere")).text()).not.toContain("You are signed out");
    const userId = await h.userIdFor(email);
    expect(await h.sql(`SELECT 1 FROM "Session" WHERE "userId" = $1`, [userId])).toEqual([]);
    // A link sent before, in a mailbox someone else may read, signs no one in afterwards.
    const page = await (await unused.client.fetch(unused.link)).text();
    expect(page).toContain("This sign-in link was already used, or replaced by a newer one");
    expect((await unused.client.fetch(callbackOf(unused.link))).headers.get("location")).toContain(
      "error=Verification",
    );
    expect(unused.client.signedIn).toBe(false);
    expect((await h.followSignInLink(theirs.client, theirs.link)).status).toBe(302);
    expect(theirs.client.signedIn).toBe(true);
  });

  it("a sign-out with any other scope ends only this session", async () => {
    const email = h.uniqueEmail("signout-one");
    const [first, second] = [await h.signIn(email), await h.signIn(email)];
    const result = await h.actions.call(first, "/", h.actions.id("lib/web/auth/sign-out.ts", "signOutAction"), {
      scope: "Everywhere ",
    });
    expect(result.redirect?.split(";")[0]).toBe("/?signed-out=here");
    expect(await (await first.fetch("/?signed-out=here")).text()).toContain("You are signed out in this browser.");
    const user = async (client: typeof first) =>
      ((await (await client.fetch("/api/auth/session")).json()) as { user?: { email: string } }).user?.email;
    expect([await user(first), await user(second)]).toEqual([undefined, email]);
  });

  it("tells a browser whose session was ended elsewhere that it ended, on the sign-in page its next visit lands on; a signed-out browser is not told", async () => {
    const email = h.uniqueEmail("session-ended");
    const [stale, elsewhere] = [await h.signIn(email), await h.signIn(email)];
    await h.actions.call(elsewhere, "/", h.actions.id("lib/web/auth/sign-out.ts", "signOutAction"), {
      scope: "everywhere",
    });

    const visit = await stale.fetch("/onboarding", { redirect: "manual" });
    expect(visit.status).toBe(307);
    const signIn = new URL(visit.headers.get("location")!, "http://x");
    expect(signIn.pathname).toBe("/signin");
    const page = await (await stale.fetch(`${signIn.pathname}${signIn.search}`)).text();
    expect(page).toContain("Your session has ended");
    const neverSignedIn = await (await h.client().fetch(`${signIn.pathname}${signIn.search}`)).text();
    expect(neverSignedIn).toContain("We email you a link");
    expect(neverSignedIn).not.toContain("Your session has ended");
    const signedOutHere = await (await elsewhere.fetch("/signin")).text();
    expect(signedOutHere).not.toContain("Your session has ended");
  });
});
