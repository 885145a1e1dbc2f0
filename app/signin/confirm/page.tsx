import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { formatTimestamp } from "@/lib/platform/format";
import { signInConfirmation, signInLinkState } from "@/lib/web/auth/magic-link-confirmation";
import { getViewer } from "@/lib/web/auth/viewer";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { SignInProblem } from "@/app/_components/sign-in-problem";

export const metadata: Metadata = { title: "Confirm sign-in" };

/**
 * Where the emailed sign-in link lands. Opening it signs no one in: mail scanners that open every
 * link (Safe Links and the like) would otherwise use it up before its owner clicks. The button
 * sends the link's own parameters to next-auth's callback, which signs in once.
 */
export default async function ConfirmSignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const confirmation = signInConfirmation(await searchParams, publicOrigin(await headers()));
  if (!confirmation) {
    return (
      <SignInProblem message="This sign-in link is incomplete. Copy the whole link from the email, or ask for a new one." />
    );
  }
  // The link opened again (Back, or the email once more) by the person it already signed in: the
  // link is used up, but nothing needs it, so nothing says the sign-in failed.
  const viewer = await getViewer().catch(() => null);
  if (viewer?.email === confirmation.email) {
    return (
      <div className="card narrow">
        <h1>You are signed in</h1>
        <p className="lede">
          You are already signed in as <strong>{viewer.email}</strong>.
        </p>
        <p>
          <Link className="button" href={confirmation.fields.callbackUrl}>
            Continue
          </Link>
        </p>
      </div>
    );
  }
  // Said before the button, which would only lead to the same news without saying which it is.
  const link = await signInLinkState(confirmation.email, confirmation.fields.token);
  if (!link.live) {
    return (
      <SignInProblem
        message={
          link.expiredAt
            ? `This sign-in link expired at ${formatTimestamp(link.expiredAt)}. Ask for a new one.`
            : "This sign-in link was already used, or replaced by a newer one sent to the same address. Use the newest link in that inbox, or ask for a new one."
        }
      />
    );
  }
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      <p className="lede">
        Sign in as <strong>{confirmation.email}</strong>?
      </p>
      {viewer && (
        <p className="notice notice-warn" data-testid="switching-account">
          This browser is signed in as <strong>{viewer.email}</strong> now. Signing in as {confirmation.email} replaces
          that session in this browser, in every tab.
        </p>
      )}
      <form method="get" action={confirmation.action}>
        {Object.entries(confirmation.fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit">Sign in</button>
      </form>
      <p className="hint">The link works once: this button uses it.</p>
    </div>
  );
}
