import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { modes, sandboxedParts } from "@/lib/platform/env";
import { SESSION_UPDATE_AGE_S } from "@/lib/web/auth/session-lifetime";
import { signOutAction } from "@/lib/web/auth/sign-out";
import { getViewer } from "@/lib/web/auth/viewer";
import { SessionRenewal } from "./_components/session-renewal";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Conductor Onboarding", template: "%s — Conductor Onboarding" },
  description: "Connect your company to QuickBooks Desktop through Conductor.",
};

/** What "Sign out everywhere" does beyond "Sign out". */
const SIGN_OUT_EVERYWHERE =
  "Ends your sessions in every browser and on every device, and cancels sign-in links sent to you and not yet used.";

export default async function RootLayout({ children }: { children: ReactNode }) {
  // When the session cannot be read (the database is down), the page below says so; the header
  // then names nobody rather than failing the whole document.
  const viewer = await getViewer().catch(() => undefined);
  const sandboxed = sandboxedParts(modes, viewer?.kind === "operator" ? "operator" : "everyone");
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en">
      <body>
        {/* Without JavaScript, what only works with it (marked .needs-js) is not offered at all. */}
        <noscript>
          <style nonce={nonce}>{".needs-js { display: none !important; }"}</style>
        </noscript>
        {/* The keyboard's first stop: past the header's links, straight to the page's own content. */}
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="bar">
            <Link className="brand" href="/">
              Conductor Onboarding
            </Link>
            {sandboxed.length > 0 && (
              <span
                className="badge badge-sandbox"
                title={`Sandboxed: ${sandboxed.join(", ")}`}
                data-testid="sandbox-badge"
              >
                Sandbox
              </span>
            )}
            <nav aria-label="Main">
              {viewer?.kind === "customer" && <Link href="/onboarding">Onboarding</Link>}
              {viewer?.kind === "operator" && <Link href="/end-users">End-users</Link>}
              {viewer?.kind === "operator" && <Link href="/audit">Audit trail</Link>}
              {modes.mail === "sandbox-mailbox" && <Link href="/sandbox/mailbox">Sandbox mailbox</Link>}
            </nav>
            <div className="who">
              {viewer === undefined ? null : viewer ? (
                <>
                  <span>{viewer.email}</span>
                  <span className="badge badge-muted">{viewer.kind}</span>
                  <form action={signOutAction} className="sign-out">
                    <button type="submit" className="link">
                      Sign out
                    </button>
                    <button
                      type="submit"
                      className="link"
                      name="scope"
                      value="everywhere"
                      title={SIGN_OUT_EVERYWHERE}
                      aria-describedby="sign-out-everywhere-note"
                    >
                      Sign out everywhere
                    </button>
                    {/* Said to screen readers too: a title alone is shown on hover only. */}
                    <span id="sign-out-everywhere-note" className="visually-hidden">
                      {SIGN_OUT_EVERYWHERE}
                    </span>
                  </form>
                </>
              ) : (
                <Link href="/signin">Sign in</Link>
              )}
            </div>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        {viewer && <SessionRenewal everyMs={SESSION_UPDATE_AGE_S * 1000} />}
      </body>
    </html>
  );
}
