"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field, SubmitButton } from "@/app/_components/field";
import { ASCII_ONLY, signInAddress } from "@/lib/model/email-address";
import { limitMessage } from "@/app/_components/sign-in-limit-messages";
import { SESSION_ENDED_PARAM } from "@/lib/web/auth/sign-in-page";

/** What is said of an address sign-in does not take. */
const refusalOf = (typed: string) =>
  !ASCII_ONLY.test(typed.normalize("NFKC"))
    ? "Enter an address written with a–z, 0–9 and . _ ' + - only: sign-in cannot send to letters like é or ü yet."
    : "Enter an email address, like you@company.com.";

/**
 * `refused`: the address the form, posted without JavaScript, came back with (shown again, with
 * its problem and the focus): the address itself refused, or, with `problem`, no link sent for
 * another reason (a limit); `ended`: the page was opened to say a session ended, which the form's
 * post keeps.
 */
export function SignInForm({
  callbackUrl,
  ended = false,
  refused,
  problem,
}: {
  callbackUrl: string;
  ended?: boolean;
  refused?: string;
  problem?: string;
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(refused === undefined ? null : (problem ?? refusalOf(refused)));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The server's rule: an address it would refuse must not be told "try again in a moment".
    const typed = String(new FormData(event.currentTarget).get("email") ?? "");
    const email = signInAddress(typed);
    if (!email) {
      setError(refusalOf(typed));
      // Where the problem is told and fixed.
      document.getElementById("email")?.focus();
      return;
    }
    setPending(true);
    setError(null);
    const result = await signIn("email", { email, callbackUrl, redirect: false }).catch(() => undefined);
    if (!result || result.error) {
      setPending(false);
      setError(limitMessage(result?.error) ?? "We could not send the sign-in email. Try again in a moment.");
      return;
    }
    router.push(`/signin/check-email?email=${encodeURIComponent(email)}`);
  }

  return (
    // Without JavaScript the form posts itself (app/signin/email/route.ts): POST, as a GET would
    // put the address in the URL and the logs.
    <form className="stack" method="post" action="/signin/email" onSubmit={submit} noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {ended && <input type="hidden" name={SESSION_ENDED_PARAM} value="1" />}
      <Field
        id="email"
        label="Work email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={error}
        defaultValue={refused}
        // Back from a post without JavaScript: the page starts where its problem is.
        autoFocus={refused !== undefined}
      />
      <SubmitButton pending={pending} label="Email me a sign-in link" busyLabel="Sending link…" />
    </form>
  );
}
