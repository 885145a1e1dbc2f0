/**
 * The sandbox's stand-in for Conductor's QuickBooks Desktop auth flow, opened from a session's
 * `authFlowUrl` (`<mount>/qbd/<clientSecret>?key=<publishableKey>`). It says plainly that it is a
 * simulation. **Complete connection** creates the end-user's connection, as finishing the real
 * setup does, once per session; **Complete with QuickBooks Desktop closed** creates it without a
 * request ever reaching QuickBooks (the app's "in progress"); **Cancel** connects nothing. Expired,
 * used and unknown links say so.
 * A used link also plays the computer that runs QuickBooks Desktop: closing QuickBooks there makes
 * the health check fail as Conductor's does, so the app's "needs attention" can be seen in the sandbox.
 * Pages served under a Content-Security-Policy pass its nonce for the one style block.
 */
import { completeConnection, setConnectionState } from "./connections";
import type { ConductorSandboxStore, SandboxAuthSession, SandboxEndUser } from "./store";
import { readBoundedText } from "@/lib/sandbox/responses";

const FORM_LIMIT_BYTES = 4096;

type Page = { status: number; title: string; body: string };

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#15202b;background:#f4f6f8}
main{max-width:36rem;margin:3rem auto;padding:1.5rem;background:#fff;border:1px solid #d9dee3;border-radius:8px}
h1{font-size:1.5rem;margin:.25rem 0 .75rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.tag{display:inline-block;margin:0;padding:.1rem .55rem;border-radius:999px;font-size:.8rem;font-weight:600;background:#fff4dc;color:#7a4b00}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.3rem 1rem}dt{color:#5b6670}dd{margin:0;overflow-wrap:anywhere}
form{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.25rem}
button,a.button{font:inherit;font-weight:600;padding:.5rem 1rem;border-radius:6px;border:1px solid #1f4fd1;background:#1f4fd1;color:#fff;cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:#1f4fd1}
a{color:#1f4fd1}
@media (max-width:40rem){main{margin:1rem 14px}}`;

function html(page: Page, nonce: string | undefined): Response {
  const styleTag = nonce ? `<style nonce="${escape(nonce)}">` : "<style>";
  const text = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>${escape(page.title)} · Conductor sandbox</title>${styleTag}${STYLE}</style></head>
<body><main><p class="tag">Sandbox</p>${page.body}</main></body></html>`;
  return new Response(text, {
    status: page.status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

const message = (status: number, title: string, text: string): Page => ({
  status,
  title,
  body: `<h1>${escape(title)}</h1><p>${text}</p>`,
});

// To the second, as the app's pages and emails write the same time.
const readable = (iso: string) => `${iso.slice(0, 19).replace("T", " ")} UTC`;

const backLink = (session: SandboxAuthSession) =>
  session.redirectUrl ? ` <a href="${escape(session.redirectUrl)}">Back to the app</a>` : "";

function setupPage(session: SandboxAuthSession, companyName: string): Page {
  return {
    status: 200,
    title: "Connect QuickBooks Desktop",
    body: `<h1>Connect QuickBooks Desktop</h1>
<p>This page simulates Conductor's QuickBooks Desktop setup: nothing is installed and no QuickBooks data is read.
In the real setup you would do this on the Windows computer that runs QuickBooks Desktop: download a Web Connector
file, open it in QuickBooks Web Connector and allow access to your company file.</p>
<dl><dt>Company</dt><dd>${escape(companyName)}</dd><dt>Link expires</dt><dd>${escape(readable(session.expiresAt))}</dd></dl>
<form method="post">
<button type="submit" name="decision" value="complete">Complete connection</button>
<button type="submit" name="decision" value="complete_closed" class="secondary">Complete with QuickBooks Desktop closed</button>
<button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
</form>
<p>Sandbox: <strong>Complete with QuickBooks Desktop closed</strong> sets up the Web Connector on a computer where
QuickBooks Desktop is not open, so no request reaches it: the app says In progress until Conductor's health check
runs, and Needs attention once it has. This link, opened again, then offers to open QuickBooks Desktop.</p>`,
  };
}

/** The used link's page: what happened to it, and the sandbox computer's QuickBooks Desktop, open or closed. */
function usedPage(session: SandboxAuthSession, closed: boolean, status = 410, lead = ""): Page {
  const state = closed
    ? "QuickBooks Desktop is closed on it: Conductor's health check fails, and the app says the connection needs attention."
    : "QuickBooks Desktop is open on it: Conductor's health check passes.";
  const button = closed
    ? `<button type="submit" name="computer" value="open">Open QuickBooks Desktop</button>`
    : `<button type="submit" name="computer" value="close" class="secondary">Close QuickBooks Desktop</button>`;
  return {
    status,
    title: "This setup link was already used",
    body: `<h1>This setup link was already used</h1>${lead}
<p>The QuickBooks Desktop connection was already set up with it. Ask for a new link to connect again.${backLink(session)}</p>
<h2>Sandbox: the computer that runs QuickBooks Desktop</h2>
<p>${state}</p>
<form method="post">${button}</form>`,
  };
}

export function createAuthFlowPage(options: { store: ConductorSandboxStore; publishableKey: string; mount: string }) {
  const { store } = options;

  async function answer(request: Request): Promise<Page | Response> {
    const url = new URL(request.url);
    const match = url.pathname.startsWith(`${options.mount}/qbd/`)
      ? /^([A-Za-z0-9_]+)$/.exec(url.pathname.slice(options.mount.length + 5))
      : null;
    const session = match ? store.session(match[1]!) : undefined;
    const invalid = message(404, "This setup link is not valid", "Ask for a new link where you started the setup.");
    if (!session || url.searchParams.get("key") !== options.publishableKey) return invalid;
    if (!["GET", "HEAD", "POST"].includes(request.method)) return message(405, "Not allowed", "Open the link.");
    const endUser = store.get(session.endUserId);
    if (!endUser) return message(410, "This company no longer exists", "Its end-user was deleted in Conductor.");
    if (session.completedAt) return usedLink(request, session, endUser);
    if (Date.parse(session.expiresAt) <= Date.now()) {
      const text = `It expired at ${escape(readable(session.expiresAt))}. Ask for a new link where you started the setup.`;
      return message(410, "This setup link has expired", `${text}${backLink(session)}`);
    }
    if (request.method !== "POST") return setupPage(session, endUser.companyName);

    // The page's own form posts one field.
    const form = await readBoundedText(request, FORM_LIMIT_BYTES);
    if (form === null) return message(413, "Too much was sent", "Complete the connection, or cancel.");
    const decision = new URLSearchParams(form).get("decision");
    if (decision === "cancel") {
      const text = `Nothing was connected. <a href="${escape(url.pathname + url.search)}">Start again</a>.`;
      return message(200, "Setup cancelled", `${text}${backLink(session)}`);
    }
    if (decision !== "complete" && decision !== "complete_closed")
      return message(400, "Choose an option", "Complete the connection, or cancel.");
    store.putSession({ ...session, completedAt: new Date().toISOString() });
    if (decision === "complete") completeConnection(store, endUser);
    else setConnectionState(store, endUser, "offline");
    if (session.redirectUrl) return new Response(null, { status: 303, headers: { location: session.redirectUrl } });
    return message(200, "QuickBooks Desktop is connected", "You can close this tab.");
  }

  /** A used link: its page, or the sandbox computer's QuickBooks Desktop closed or opened from it. */
  async function usedLink(request: Request, session: SandboxAuthSession, endUser: SandboxEndUser): Promise<Page> {
    if (request.method !== "POST") return usedPage(session, store.offline(endUser.id));
    const form = await readBoundedText(request, FORM_LIMIT_BYTES);
    const computer = form === null ? null : new URLSearchParams(form).get("computer");
    if (computer !== "close" && computer !== "open") return usedPage(session, store.offline(endUser.id));
    setConnectionState(store, endUser, computer === "close" ? "offline" : "connected");
    const lead = `<p>QuickBooks Desktop was ${computer === "close" ? "closed" : "opened"} on the sandbox computer.</p>`;
    return usedPage(session, computer === "close", 200, lead);
  }

  return async function handle(request: Request, page: { nonce?: string } = {}): Promise<Response> {
    const result = await answer(request);
    return result instanceof Response ? result : html(result, page.nonce);
  };
}
