/**
 * A real SMTP server for sign-in tests: it accepts every message, parses it, and serves what it
 * received over HTTP (GET /messages?to=…) so tests in other processes can read their mail. It
 * refuses for good (550) any recipient whose local part ends in `+refused`, as a relay does an
 * unknown or suppressed address.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SinkMessage = {
  to: string[];
  from: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string | null;
  /** The Auto-Submitted header, which tells auto-responders to stay quiet. */
  autoSubmitted: string | null;
  receivedAt: string;
};

export async function startSmtpSink() {
  const messages: SinkMessage[] = [];
  // A password the app must send, as with a real relay: one more secret that must never leak.
  const password = `smtp_${randomBytes(12).toString("hex")}`;
  const smtp = new SMTPServer({
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "sink" && auth.password === password) return callback(null, { user: "sink" });
      return callback(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, callback) {
      if (!/\+refused@/i.test(address.address)) return callback();
      return callback(Object.assign(new Error("5.1.1 No such user here"), { responseCode: 550 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = [mail.to]
            .flat()
            .flatMap((address) => address?.value.map((v) => (v.address ?? "").toLowerCase()) ?? []);
          messages.push({
            to,
            from: mail.from?.text ?? "",
            replyTo: mail.replyTo?.text ?? null,
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : null,
            autoSubmitted: (mail.headers.get("auto-submitted") as string | undefined) ?? null,
            receivedAt: new Date().toISOString(),
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const api = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sink");
    const to = url.searchParams.get("to")?.toLowerCase();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(to ? messages.filter((m) => m.to.includes(to)) : messages));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const apiPort = (api.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://sink:${password}@127.0.0.1:${smtpPort}`,
    password,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      api.closeAllConnections();
      await new Promise<void>((resolve) => api.close(() => resolve()));
    },
  };
}

/** The messages the sink received for an address (newest last). */
export async function mailsTo(apiUrl: string, email: string): Promise<SinkMessage[]> {
  return (await fetch(`${apiUrl}/messages?to=${encodeURIComponent(email)}`)).json() as Promise<SinkMessage[]>;
}

/** Waits for a sign-in mail to arrive and returns the link in it. */
export async function waitForSignInLink(apiUrl: string, email: string, after = 0, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mails = await mailsTo(apiUrl, email);
    const mail = mails.slice(after).at(-1);
    const link = mail?.text.match(/https?:\/\/\S+\/signin\/confirm\?\S+/)?.[0];
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no sign-in mail for ${email} within ${timeoutMs} ms`);
}
