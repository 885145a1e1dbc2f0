/**
 * The mail server refuses connections (its port closed) under a running app: sign-in says the
 * link could not be sent, an emailed setup link answers 503 in the envelope and records the
 * session Conductor opened for it as not sent (later ones, while the server stays down, are
 * refused before Conductor is asked), /api/health names mail, and both work again once the port reopens.
 * A server that goes silent after taking a message is given up within the route's function limit;
 * one that never greets, within the health probe's own timeout.
 */
import net from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { h } from "../support/harness";
import { awayFromWindowEdge } from "../support/rate-windows";

const linksSent = (endUserId: string) =>
  h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'CONNECT_LINK_SENT'`, [endUserId]);

const LINKS_PER_HOUR = 5;

/** An app whose mail goes through a relay of this test's own, and a customer of it with an end-user. */
async function customerBehindRelay(label: string, companyName: string, env: Record<string, string> = {}) {
  const smtp = await h.own.smtpRelay();
  const app = await h.startApp({ EMAIL_SERVER: smtp.url, ...env });
  const email = h.uniqueEmail(label);
  const customer = await h.signIn(email, app.origin);
  const { endUser } = await (await customer.json("/api/end-users", { companyName })).json();
  return { smtp, app, email, customer, endUser };
}

/** The setup-link events of the trail for an end-user: which, and to whom. */
const linkEvents = (endUserId: string) =>
  h.sql<{ action: string; to: string }>(
    `SELECT "action"::text AS "action", "data"->>'to' AS "to" FROM "AuditEvent" WHERE "endUserId" = $1 AND "action"::text LIKE 'CONNECT_LINK%'`,
    [endUserId],
  );

describe("the mail server failing", () => {
  it("fails sign-in and setup links cleanly, opens no more Conductor sessions once it is known down, names mail in /api/health, and sends again once it accepts", async () => {
    const { smtp, app, email, customer, endUser } = await customerBehindRelay("smtp-down", "No Mail Co");

    await smtp.refuse();

    await h.until("/api/health to name mail", async () => (await h.health(app.origin)).body.down.includes("mail"));
    const health = await h.health(app.origin);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      ok: false,
      down: ["mail"],
      parts: { database: { status: "ok" }, mail: { status: "unavailable", mode: "smtp" } },
    });
    expect(JSON.stringify(health.body)).not.toContain(smtp.url);

    const link = await customer.json(`/api/end-users/${endUser.id}/connect-link`, {});
    expect(link.status).toBe(503);
    expect(await link.json()).toEqual({ error: { code: "mail_unavailable", message: expect.any(String) } });
    expect(await linksSent(endUser.id)).toBe(0);
    // Conductor opened a session for the link all the same: the trail says so, and that it went nowhere.
    expect(
      await h.sql(
        `SELECT "actor", "conductorRequestId", "data"->>'to' AS "to" FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'CONNECT_LINK_NOT_SENT'`,
        [endUser.id],
      ),
    ).toEqual([{ actor: email, conductorRequestId: expect.stringMatching(/^req_/), to: email }]);
    // Known down now: the next link is refused before Conductor is asked for a session nobody could be sent.
    const since = Date.now();
    const again = await customer.json(`/api/end-users/${endUser.id}/connect-link`, {});
    expect(again.status).toBe(503);
    expect((await again.json()).error.code).toBe("mail_unavailable");
    expect(await h.emulator.calls({ provider: "conductor", path: "/auth-sessions", since })).toEqual([]);
    expect(
      await h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND action = 'CONNECT_LINK_NOT_SENT'`, [
        endUser.id,
      ]),
    ).toBe(1);

    const stranger = h.uniqueEmail("smtp-down-signin");
    const signIn = await h.postSignInForm(stranger, app.origin);
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { url: string }).url).toContain("error=EmailSignin");
    expect(await h.mail.to(stranger)).toEqual([]);

    await smtp.accept();
    await h.until("/api/health to see mail again", async () => (await h.health(app.origin)).body.ok);
    expect((await h.signIn(stranger, app.origin)).signedIn).toBe(true);
    expect((await customer.json(`/api/end-users/${endUser.id}/connect-link`, {})).status).toBe(202);
    expect(await linksSent(endUser.id)).toBe(1);
  });

  it("answers a setup link whose mail server goes silent after taking the message within the route's 30 s: 503 saying it cannot tell whether it will arrive, recorded as unconfirmed, its budget kept spent", async () => {
    const { smtp, email, customer, endUser } = await customerBehindRelay("smtp-stall", "Stalled Mail Co", {
      CONNECT_LINK_RATE_LIMIT_PER_HOUR: String(LINKS_PER_HOUR),
    });
    const before = (await h.mail.to(email)).length;

    smtp.stallAfterMessage();
    const started = Date.now();
    const link = await customer.json(`/api/end-users/${endUser.id}/connect-link`, {});
    // Before Vercel would end the route's function (30 s), and after nodemailer's wait would not have.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(link.status).toBe(503);
    expect((await link.json()).error).toEqual({
      code: "mail_unavailable",
      message: expect.stringContaining(
        `did not confirm the email to ${email} in time, so we cannot tell whether it will arrive`,
      ),
    });
    expect(link.headers.get("ratelimit-remaining")).toBe(String(LINKS_PER_HOUR - 1));
    expect(await linkEvents(endUser.id)).toEqual([{ action: "CONNECT_LINK_UNCONFIRMED", to: email }]);
    // The server had it all along: this one arrives.
    expect((await h.mail.to(email)).length).toBe(before + 1);
  }, 50_000);

  it("tells a sign-in whose mail server goes silent after taking the email that it cannot tell whether the link will arrive, keeps the address's budget spent, and the link does arrive", async () => {
    const smtp = await h.own.smtpRelay();
    const app = await h.startApp({ EMAIL_SERVER: smtp.url, SIGNIN_RATE_LIMIT_PER_MINUTE: "1" });
    const email = h.uniqueEmail("smtp-silent-signin");
    const ask = async () => {
      const client = h.client(app.origin);
      const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await client.fetch("/api/auth/signin/email", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-real-ip": h.uniqueClientIp() },
        body: new URLSearchParams({ csrfToken, email, json: "true" }),
      });
      return { status: response.status, url: ((await response.json()) as { url: string }).url };
    };

    smtp.stallAfterMessage();
    // Both asks in one minute's window, with nodemailer's 30 s wait between them.
    await awayFromWindowEdge(45_000);
    expect(await ask()).toEqual({ status: 200, url: `${app.origin}/signin/error?error=LinkUnconfirmed` });
    const page = await (await h.client(app.origin).fetch("/signin/error?error=LinkUnconfirmed")).text();
    expect(page).toContain("so we cannot tell whether it will arrive");
    // Counted as a link sent, unlike one the server never took: the next ask for it this minute is refused.
    expect(await ask()).toEqual({ status: 429, url: `${app.origin}/signin/error?error=AddressBusy` });
    expect(await h.mail.to(email)).toHaveLength(1);
  }, 120_000);

  it("leaves the sign-in link an address was sent working when the next one for it cannot be sent", async () => {
    const smtp = await h.own.smtpRelay();
    const app = await h.startApp({ EMAIL_SERVER: smtp.url });
    const email = h.uniqueEmail("smtp-keeps-link");
    const first = await h.requestSignInLink(email, "/onboarding", app.origin);

    await smtp.refuse();
    const failed = await h.postSignInForm(email, app.origin);
    expect(((await failed.json()) as { url: string }).url).toContain("error=");
    await smtp.accept();

    const followed = await h.followSignInLink(first.client, first.link);
    expect(followed.headers.get("location")).toBe(`${app.origin}/onboarding`);
    expect(first.client.signedIn).toBe(true);
  });

  it("gives up on a mail server that accepts the connection but never greets within the health probe's 3 s: /api/health names mail", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    onTestFinished(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const { port } = silent.address() as net.AddressInfo;
    const app = await h.startApp({ EMAIL_SERVER: `smtp://sink:secret@127.0.0.1:${port}` });

    // A fresh probe, once the one made while the app started (its readiness check) is no longer kept (2 s).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const started = Date.now();
    const health = await h.health(app.origin);
    // Its own greeting timeout (3 s), not nodemailer's default of 30 s.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(health.body).toMatchObject({ down: ["mail"], parts: { mail: { status: "unavailable", mode: "smtp" } } });
    expect(sockets.size).toBeGreaterThan(0);
  });

  it("reports a setup link sent from the page, whose mail server goes silent after taking the message, as unconfirmed once nodemailer's own 30 s wait ends it, not as not sent", async () => {
    const { smtp, app, email, customer, endUser } = await customerBehindRelay("smtp-silent", "Silent Mail Co");

    smtp.stallAfterMessage();
    // "Email me this link": a server action, whose page's 90 s outlast nodemailer's 30 s.
    const form = await h.actions.call(
      customer,
      "/onboarding",
      h.actions.id("app/_components/connection/actions.ts", "sendConnectLinkAction"),
      { endUserId: endUser.id },
      { previousState: h.actions.idleState, headers: { Origin: app.origin } },
    );
    expect(h.actions.formState(form.body)).toMatchObject({
      status: "error",
      code: "mail_unavailable",
      message: expect.stringContaining("so we cannot tell whether it will arrive"),
    });
    expect(await linkEvents(endUser.id)).toEqual([{ action: "CONNECT_LINK_UNCONFIRMED", to: email }]);
  }, 50_000);
});
