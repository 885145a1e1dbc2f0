/**
 * A cookie-keeping HTTP client for talking to the running app the way a browser does, and the
 * real email sign-in: CSRF token, sign-in request, the mail over SMTP, the link followed.
 */
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { userIdFor } from "./db";
import { expectDocumented } from "./openapi-contract";
import { stack } from "./provided";
import { mailsTo, waitForSignInLink } from "./smtp-sink";

/**
 * A request that is safe to repeat is sent again, once, when the server closed the kept-alive
 * connection it went out on just as it was sent (Node's idle timeout racing the client's reuse):
 * browsers retry such a request on a new connection too.
 */
async function fetchOnce(url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const idempotent = ["GET", "HEAD", undefined].includes(init.method?.toUpperCase());
    if (!idempotent || cause?.code !== "UND_ERR_SOCKET") throw error;
    return fetch(url, init);
  }
}

export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly origin: string = stack.appOrigin) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size)
      headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const url = new URL(path, this.origin);
    const response = await fetchOnce(url, { ...init, headers, redirect: "manual" });
    await expectDocumented(init.method ?? "GET", url, response);
    this.keep(response.headers.getSetCookie());
    return response;
  }

  /**
   * A GET sent with exactly these headers, as a browser's navigation sends them: Node's fetch
   * replaces Sec-Fetch-Mode with its own `cors`. Not followed; its cookies are kept.
   */
  navigate(path: string, sent: Record<string, string>): Promise<{ status: number; location: string | null }> {
    const headers: Record<string, string> = { ...sent };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    return new Promise((resolve, reject) => {
      httpRequest(new URL(path, this.origin), { headers }, (response) => {
        response.resume();
        this.keep(response.headers["set-cookie"] ?? []);
        resolve({ status: response.statusCode!, location: response.headers.location ?? null });
      })
        .on("error", reject)
        .end();
    });
  }

  private keep(setCookies: string[]): void {
    for (const cookie of setCookies) {
      const [pair] = cookie.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  json(path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
    return this.fetch(path, {
      method: "POST",
      ...init,
      headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) },
      body: JSON.stringify(body),
    });
  }

  get signedIn(): boolean {
    return [...this.cookies.keys()].some((name) => name.endsWith("next-auth.session-token"));
  }
}

/** Posts the sign-in form as next-auth's client does (CSRF token, JSON answer) and returns the answer as it is. */
export async function postSignInForm(email: string, appOrigin = stack.appOrigin): Promise<Response> {
  const client = new HttpClient(appOrigin);
  const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  return client.fetch("/api/auth/signin/email", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, json: "true" }),
  });
}

/** Asks for a sign-in link and returns it (from the real SMTP sink), with the client that asked. */
export async function requestSignInLink(email: string, callbackPath = "/onboarding", appOrigin = stack.appOrigin) {
  const client = new HttpClient(appOrigin);
  const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const already = (await mailsTo(stack.sinkApiUrl, email)).length;
  const response = await client.fetch("/api/auth/signin/email", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, callbackUrl: `${appOrigin}${callbackPath}`, json: "true" }),
  });
  if (!response.ok) throw new Error(`sign-in request failed: ${response.status} ${await response.text()}`);
  return { client, link: await waitForSignInLink(stack.sinkApiUrl, email, already) };
}

const decodeHtml = (text: string) =>
  text.replace(
    /&(amp|quot|lt|gt|#x27|#39);/g,
    (_, name: string) => ({ amp: "&", quot: '"', lt: "<", gt: ">" })[name] ?? "'",
  );

/** The form on the page an emailed sign-in link opens: where its button goes, with which fields. */
export function signInForm(html: string): { action: string; fields: Record<string, string> } | null {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const [, name, value] of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields[decodeHtml(name!)] = decodeHtml(value!);
  return { action: decodeHtml(form[1]!), fields };
}

/** Opens the emailed link (a page that signs no one in) and presses its Sign in button: next-auth's answer. */
export async function followSignInLink(client: HttpClient, link: string): Promise<Response> {
  const page = await client.fetch(link);
  const form = page.status === 200 ? signInForm(await page.text()) : null;
  if (!form) throw new Error(`the sign-in link's page (${page.status}) has no sign-in button`);
  return client.fetch(`${form.action}?${new URLSearchParams(form.fields)}`);
}

/** A client signed in as `email` through the emailed link (to the stack's app, or `appOrigin`). */
export async function signIn(email: string, appOrigin?: string): Promise<HttpClient> {
  const { client, link } = await requestSignInLink(email, "/onboarding", appOrigin);
  const response = await followSignInLink(client, link);
  if (response.status !== 302 || !client.signedIn) throw new Error(`following the link gave ${response.status}`);
  return client;
}

let counter = 0;
/** An address no other test uses. */
export function uniqueEmail(label: string): string {
  return `${label}-${process.pid}-${Date.now()}-${++counter}@example.test`;
}

/**
 * A client address no other test uses (in IPv6's documentation range), for the per-address rate
 * limits: every app of a run shares one store, so two tests on one address share its budget.
 */
export function uniqueClientIp(): string {
  const groups = randomBytes(12).toString("hex").match(/.{4}/g)!;
  return `2001:db8:${groups.join(":")}`;
}

/** A new customer, signed in: the client, the address and the user id (the sourceId it onboards with). */
export async function signedInCustomer(label: string): Promise<{ client: HttpClient; email: string; id: string }> {
  const email = uniqueEmail(label);
  const client = await signIn(email);
  return { client, email, id: await userIdFor(email) };
}

/** A client signed in as the stack's operator. */
export const signedInOperator = () => signIn(stack.operatorEmail);

export type CreatedEndUser = {
  id: string;
  sourceId: string;
  companyName: string;
  email: string;
  createdAt: string;
  syncedAt: string;
};

/** A customer's client after onboarding through POST /api/end-users, with the end-user it got. */
export async function onboardedCustomer(
  label: string,
  companyName: string,
): Promise<{ client: HttpClient; email: string; endUser: CreatedEndUser }> {
  const email = uniqueEmail(label);
  const client = await signIn(email);
  const response = await client.json("/api/end-users", { companyName });
  if (response.status !== 201) throw new Error(`onboarding ${email} gave ${response.status}: ${await response.text()}`);
  return { client, email, endUser: ((await response.json()) as { endUser: CreatedEndUser }).endUser };
}
