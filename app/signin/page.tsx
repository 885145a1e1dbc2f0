import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getViewer, sessionHasEnded } from "@/lib/web/auth/viewer";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { sameOriginPath } from "@/lib/web/http/same-origin";
import { modes } from "@/lib/platform/env";
import { SignInForm } from "./sign-in-form";
import {
  ADDRESS_REFUSED_ERROR,
  isFormProblem,
  REFUSED_ADDRESS_COOKIE,
  SESSION_ENDED_PARAM,
} from "@/lib/web/auth/sign-in-page";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Only a path on this site: a callbackUrl never sends anyone to another one.
  const params = await searchParams;
  const callbackUrl = sameOriginPath(params.callbackUrl, publicOrigin(await headers()));
  if (await getViewer()) redirect(callbackUrl);
  const ended = params[SESSION_ENDED_PARAM] === "1" || (await sessionHasEnded());
  // Back from the form posted without JavaScript, with the address it typed (set by that post alone).
  // A limit is said only after that post (its cookie): a link alone puts no warning on the page.
  const error = typeof params.error === "string" ? params.error : "";
  const typed = (await cookies()).get(REFUSED_ADDRESS_COOKIE)?.value;
  const refused =
    error === ADDRESS_REFUSED_ERROR
      ? { typed: typed ?? "", error }
      : isFormProblem(error) && typed !== undefined
        ? { typed, error }
        : undefined;
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      {ended && (
        <p className="notice notice-info" role="status" data-testid="session-ended">
          Your session has ended: you signed out in another tab or on another device, or it expired. Sign in again to
          continue.
        </p>
      )}
      <p className="lede">We email you a link that signs you in. No password needed.</p>
      <SignInForm callbackUrl={callbackUrl} ended={ended} refused={refused} />
      {modes.mail === "sandbox-mailbox" && (
        <p className="hint">
          Sandbox: no email is sent. The link appears in the <Link href="/sandbox/mailbox">sandbox mailbox</Link> and
          the server log.
        </p>
      )}
    </div>
  );
}
