/**
 * The sign-in email limit counts only requests next-auth accepts (a valid CSRF token), on the
 * address as next-auth normalises it: posts without the token spend nobody's budget, and every
 * spelling of one address (case, spaces, full-width letters, a JSON body) spends the same one.
 */
import http from "node:http";
import { describe, expect, it } from "vitest";
import type { AppProcess } from "../support/app-server";
import { h } from "../support/harness";
import { awayFromWindowEdge } from "../support/rate-windows";

const LIMIT = 2;

let ipCounter = 0;
/** A client address no other request of the run uses. */
const freshIp = () => `198.19.${Math.floor(Math.random() * 250) + 1}.${(++ipCounter % 250) + 1}`;

/**
 * Asks `app` for a sign-in link for `email` from `ip`, as next-auth's client does (or as JSON, or
 * as a plain form without `json=true`), with a valid CSRF token unless told not to.
 */
async function ask(
  app: AppProcess,
  email: string,
  options: { ip?: string; csrf?: boolean; json?: boolean; form?: boolean; headers?: Record<string, string> } = {},
): Promise<Response> {
  const client = h.client(app.origin);
  const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const fields = { ...(options.csrf === false ? {} : { csrfToken }), email, ...(options.form ? {} : { json: "true" }) };
  const response = await client.fetch("/api/auth/signin/email", {
    method: "POST",
    headers: {
      "content-type": options.json ? "application/json" : "application/x-www-form-urlencoded",
      "x-real-ip": options.ip ?? freshIp(),
      ...options.headers,
    },
    body: options.json ? JSON.stringify(fields) : new URLSearchParams(fields),
  });
  return response;
}

/** An app whose addresses get `perHour` links an hour, and a new address sent all of them, each asked for from another IP. */
async function addressSentItsHour(perHour: number, label: string) {
  const app = await h.startApp({
    SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT * 5),
    SIGNIN_ADDRESS_LIMIT_PER_HOUR: String(perHour),
  });
  await awayFromWindowEdge();
  const victim = h.uniqueEmail(label);
  for (let i = 0; i < perHour; i++) expect((await ask(app, victim, { ip: freshIp() })).status).toBe(200);
  return { app, victim };
}

const fullWidth = (text: string) =>
  text.replace(/[a-z0-9]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

describe("the sign-in email limit", () => {
  it("posts without a CSRF token, from anywhere, do not lock the address out", async () => {
    const app = await h.startApp({ SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    await awayFromWindowEdge();
    const email = h.uniqueEmail("victim");
    for (let i = 0; i < LIMIT * 3; i++) {
      const forged = await ask(app, email, { csrf: false });
      expect(((await forged.json()) as { url: string }).url).toContain("csrf=true");
    }
    const real = await ask(app, email);
    expect(real.status).toBe(200);
    expect(await h.mail.signInLink(email)).toContain("/signin/confirm?");
  });

  it("posts without a CSRF token do not spend the client address's budget either", async () => {
    const app = await h.startApp({ SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    await awayFromWindowEdge();
    const ip = freshIp();
    for (let i = 0; i < LIMIT * 3; i++) await (await ask(app, h.uniqueEmail("junk"), { ip, csrf: false })).text();
    const email = h.uniqueEmail("same-ip");
    expect((await ask(app, email, { ip })).status).toBe(200);
    expect(await h.mail.to(email)).toHaveLength(1);
  });

  it("an address someone else used up is told to use the links just sent to it, which sign its owner in; a client over its own budget is told to wait", async () => {
    const app = await h.startApp({ SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    await awayFromWindowEdge();
    const victim = h.uniqueEmail("locked-out");
    const attacker = freshIp();
    for (let i = 0; i < LIMIT; i++) expect((await ask(app, victim, { ip: attacker })).status).toBe(200);

    // Forwarded headers a client sends name no other origin for the page it is sent to.
    const forged = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };
    const owner = await ask(app, victim, { headers: forged });
    expect(owner.status).toBe(429);
    const { url } = (await owner.json()) as { url: string };
    expect(url).toBe(`${app.origin}/signin/error?error=AddressBusy`);
    const page = await (await h.client(app.origin).fetch(new URL(url).pathname + new URL(url).search)).text();
    expect(page).toContain("Use the newest one in that inbox");
    const signedIn = h.client(app.origin);
    expect((await h.followSignInLink(signedIn, await h.mail.signInLink(victim))).status).toBe(302);
    expect(signedIn.signedIn).toBe(true);

    const greedy = await ask(app, h.uniqueEmail("other-address"), { ip: attacker });
    expect(greedy.status).toBe(429);
    expect(((await greedy.json()) as { url: string }).url).toContain("error=RateLimited");
    // A plain form post (no json=true), which next-auth answers with redirects, is sent to the page that says why.
    const plain = await ask(app, h.uniqueEmail("plain-form"), { ip: attacker, form: true });
    expect(plain.status).toBe(302);
    expect(plain.headers.get("location")).toBe(`${app.origin}/signin/error?error=RateLimited`);
    expect(Number(plain.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("without JavaScript, an address over its minute's links comes back to the form, the address in its field (not marked wrong) and the limit said below it, where the page starts, where sign-in leads kept", async () => {
    const app = await h.startApp({ SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    await awayFromWindowEdge();
    const email = h.uniqueEmail("no-script-busy");
    const client = h.client(app.origin);
    const post = () =>
      client.fetch("/signin/email", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: app.origin,
          "x-real-ip": freshIp(),
        },
        body: new URLSearchParams({ email, callbackUrl: "/onboarding" }).toString(),
        redirect: "manual",
      });
    for (let i = 0; i < LIMIT; i++) expect((await post()).headers.get("location")).toContain("/signin/check-email");
    const busy = await post();
    expect(busy.status).toBe(303);
    expect(busy.headers.get("location")).toBe("/signin?callbackUrl=%2Fonboarding&error=AddressBusy");
    const page = (await (await client.fetch(busy.headers.get("location")!)).text()).replaceAll("&#x27;", "'");
    const field = /<input[^>]*id="email"[^>]*>/.exec(page)?.[0];
    expect(field).toContain(`value="${email}"`);
    expect(field).not.toContain("aria-invalid");
    expect(field).not.toMatch(/autofocus/i);
    const notice = /<div[^>]*data-testid="sign-in-problem"[^>]*>[\s\S]*?<\/div>/.exec(page)?.[0];
    expect(notice).toMatch(/autofocus/i);
    expect(notice).toContain("Sign-in links were just sent to this address");
    expect(page).toContain('<input type="hidden" name="callbackUrl" value="/onboarding"/>');
    expect(await h.mail.to(email)).toHaveLength(LIMIT);
  });

  it("an address sent its hour's links, from any number of IPs, is told to use the newest of them, while another address is still sent one", async () => {
    const { app, victim } = await addressSentItsHour(3, "flooded");
    const fourth = await ask(app, victim, { ip: freshIp() });
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(fourth.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
    const { url } = (await fourth.json()) as { url: string };
    expect(url).toBe(`${app.origin}/signin/error?error=AddressBusyHour`);
    const page = await (await h.client(app.origin).fetch(new URL(url).pathname + new URL(url).search)).text();
    expect(page).toContain("as many times as we send to one address in an hour, and the newest still works");
    expect(await h.mail.to(victim)).toHaveLength(3);
    expect((await ask(app, h.uniqueEmail("not-flooded"), { ip: freshIp() })).status).toBe(200);
  });

  it("an address past its hour's links is sent one more once none it was sent works: whoever spent them cannot keep its owner out for the rest of the hour", async () => {
    const { app, victim } = await addressSentItsHour(2, "locked-out");
    expect((await ask(app, victim, { ip: freshIp() })).status).toBe(429);
    // Fifteen minutes later, as far as the links go: every one sent has expired.
    await h.sql(
      `UPDATE "VerificationToken" SET "expires" = "expires" - interval '16 minutes' WHERE "identifier" = $1`,
      [victim],
    );
    expect((await ask(app, victim, { ip: freshIp() })).status).toBe(200);
    expect(await h.mail.to(victim)).toHaveLength(3);
    // That link works; while it does, the address is refused again, told to wait at most its life.
    const again = await ask(app, victim, { ip: freshIp() });
    expect(again.status).toBe(429);
    expect(((await again.json()) as { url: string }).url).toContain("error=AddressBusyHour");
    expect(Number(again.headers.get("retry-after"))).toBeLessThanOrEqual(15 * 60);
    const signedIn = h.client(app.origin);
    expect((await h.followSignInLink(signedIn, await h.mail.signInLink(victim))).status).toBe(302);
    expect(signedIn.signedIn).toBe(true);
  });

  it("an address the mail server refuses for good (550) keeps spending its budget: each attempt is told so, until the address is busy", async () => {
    const app = await h.startApp({ SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    await awayFromWindowEdge();
    const email = h.uniqueEmail("refused-for-good").replace("@", "+refused@");
    const urls = [];
    for (let i = 0; i < LIMIT + 1; i++) urls.push(((await (await ask(app, email)).json()) as { url: string }).url);
    expect(urls.map((url) => new URL(url).searchParams.get("error"))).toEqual([
      ...Array<string>(LIMIT).fill("AddressRefused"),
      "AddressBusy",
    ]);
  });

  it("a link the mail server refused spends neither budget: once it accepts, the address is sent one at once", async () => {
    const smtp = await h.own.smtpRelay();
    const app = await h.startApp({
      SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT),
      SIGNIN_ADDRESS_LIMIT_PER_HOUR: String(LIMIT),
      EMAIL_SERVER: smtp.url,
    });
    await awayFromWindowEdge();
    const ip = freshIp();
    const email = h.uniqueEmail("refused-mail");
    await smtp.refuse();
    for (let i = 0; i < LIMIT + 1; i++) {
      const refused = await ask(app, email, { ip });
      expect(((await refused.json()) as { url: string }).url).toContain("error=EmailSignin");
    }
    await smtp.accept();
    const sent = await ask(app, email, { ip });
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as { url: string }).url).not.toContain("error=");
    await h.mail.signInLink(email);
  });

  it("without TRUST_PROXY_HEADERS, the address a client writes in x-real-ip or x-forwarded-for is not believed: one connection's client is one budget", async () => {
    const app = await h.startApp({ SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY_HEADERS: null });
    // A loopback address of this test's own, so that no other test's requests share its budget.
    const from = `127.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}.${(++ipCounter % 250) + 1}`;
    const client = h.client(app.origin);
    const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const askFrom = (email: string) =>
      new Promise<number>((resolve, reject) => {
        const body = new URLSearchParams({ csrfToken, email, json: "true" }).toString();
        const spoofed = { "x-real-ip": freshIp(), "x-forwarded-for": `${freshIp()}, ${freshIp()}` };
        const request = http.request(
          {
            host: "127.0.0.1",
            port: new URL(app.origin).port,
            localAddress: from,
            method: "POST",
            path: "/api/auth/signin/email",
            headers: { "content-type": "application/x-www-form-urlencoded", cookie, ...spoofed },
          },
          (response) => response.resume().on("end", () => resolve(response.statusCode ?? 0)),
        );
        request.on("error", reject);
        request.end(body);
      });
    await awayFromWindowEdge();
    const statuses = [];
    for (let i = 0; i < LIMIT + 1; i++) statuses.push(await askFrom(h.uniqueEmail("spoofer")));
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429]);
  });

  it("every spelling of one address spends that address's budget: at most the limit of mails reach it", async () => {
    const app = await h.startApp({ SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    await awayFromWindowEdge();
    const email = h.uniqueEmail("spelled");
    const [local, domain] = email.split("@") as [string, string];
    const spellings = [
      { email: email.toUpperCase() },
      { email: `  ${email}  ` },
      { email: `${fullWidth(local)}@${domain}` },
      { email, json: true },
      { email: email.replace("@", "＠"), json: true },
      { email: `${local}@${fullWidth(domain)}`.replace(".", "．") },
    ];
    const statuses = [];
    for (const spelling of spellings) statuses.push((await ask(app, spelling.email, spelling)).status);
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429]);
    expect(await h.mail.to(email)).toHaveLength(LIMIT);
  });

  it("an address with a suffix after a comma is no address: refused, no mail to the address it starts with", async () => {
    const app = await h.startApp({ SIGNIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    const email = h.uniqueEmail("suffixed");
    for (let i = 0; i < LIMIT + 2; i++) {
      const response = await ask(app, `${email},${i}`);
      expect(((await response.json()) as { url: string }).url).toContain("error=InvalidAddress");
    }
    // Once a later sign-in's mail has arrived, a mail for the refused ones would have too.
    const marker = h.uniqueEmail("suffixed-marker");
    await ask(app, marker);
    await h.mail.signInLink(marker);
    expect(await h.mail.to(email)).toEqual([]);
    // Not an error of ours: logged as a refusal, not at error level (which would page someone).
    expect(h.logLines(app, "auth.error")).toEqual([]);
    expect(h.logLines(app, "auth.address_refused")).toHaveLength(LIMIT + 2);
  });

  it("a JSON body that is not JSON is refused with 400 in the envelope", async () => {
    const response = await h.client().fetch("/api/auth/signin/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email":',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_json");
  });
});

describe("a sign-in post's size", () => {
  it("over 64 KB is refused with 413 in the envelope, with or without a Content-Length, and no mail is sent", async () => {
    const app = await h.startApp();
    const client = h.client(app.origin);
    const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const email = h.uniqueEmail("oversized");
    const body = new URLSearchParams({ csrfToken, email, json: "true", padding: "x".repeat(65 * 1024) }).toString();
    const headers = { "content-type": "application/x-www-form-urlencoded", "x-real-ip": freshIp() };
    const streamed = new Blob([body]).stream();
    const answers = [
      await client.fetch("/api/auth/signin/email", { method: "POST", headers, body }),
      await client.fetch("/api/auth/signin/email", {
        method: "POST",
        headers,
        body: streamed,
        duplex: "half",
      } as RequestInit),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(413);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    }
    // The same post within the bound is answered: its mail arriving means a refused one's would have.
    const within = body.replace(/padding=x+/, "padding=x");
    expect((await client.fetch("/api/auth/signin/email", { method: "POST", headers, body: within })).status).toBe(200);
    await h.mail.signInLink(email);
    expect(await h.mail.to(email)).toHaveLength(1);
  });
});
