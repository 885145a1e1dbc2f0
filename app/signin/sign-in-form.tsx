"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field, SubmitButton } from "@/app/_components/field";
import { ASCII_ONLY, signInAddress } from "@/lib/model/email-address";
import { limitMessage } from "@/app/_components/sign-in-limit-messages";
import { Notice } from "@/app/_components/notice";
import { useOutcomeFocus } from "@/app/_components/use-server-rendered";
import { ADDRESS_REFUSED_ERROR, SESSION_ENDED_PARAM, type SignInRefusal } from "@/lib/web/auth/sign-in-page";

/** What is said of an address sign-in does not take. */
const refusalOf = (typed: string) =>
  !ASCII_ONLY.test(typed.normalize("NFKC"))
    ? "Enter an address written with a–z, 0–9 and . _ ' + - only: sign-in cannot send to letters like é or ü yet."
    : "Enter an email address, like you@company.com.";

/** Refusals about the address itself, told beside it; a limit is no fault of the address, and is told below the form. */
const ABOUT_THE_ADDRESS: ReadonlySet<string | undefined> = new Set([
  ADDRESS_REFUSED_ERROR,
  "AddressRefused" satisfies SignInRefusal,
]);

type Problem = { aboutAddress: boolean; message: string };

const problemOf = (code: string | undefined, typed: string): Problem => ({
  aboutAddress: ABOUT_THE_ADDRESS.has(code),
  message:
    code === ADDRESS_REFUSED_ERROR
      ? refusalOf(typed)
      : (limitMessage(code) ?? "We could not send the sign-in email. Try again in a moment."),
});

/**
 * `refused`: what the form, posted without JavaScript, came back with: the address typed (shown
 * again) and the `error` code no link was sent for (said beside the address, or below the form,
 * where the page then starts); `ended`: the page was opened to say a session ended, which the
 * form's post keeps.
 */
export function SignInForm({
  callbackUrl,
  ended = false,
  refused,
}: {
  callbackUrl: string;
  ended?: boolean;
  refused?: { typed: string; error: string };
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(refused ? problemOf(refused.error, refused.typed) : null);
  const outcomeFocus = useOutcomeFocus();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The server's rule: an address it would refuse must not be told "try again in a moment".
    const typed = String(new FormData(event.currentTarget).get("email") ?? "");
    const email = signInAddress(typed);
    if (!email) {
      setProblem(problemOf(ADDRESS_REFUSED_ERROR, typed));
      // Where the problem is told and fixed.
      document.getElementById("email")?.focus();
      return;
    }
    setPending(true);
    setProblem(null);
    const result = await signIn("email", { email, callbackUrl, redirect: false }).catch(() => undefined);
    if (!result || result.error) {
      setPending(false);
      setProblem(problemOf(result?.error ?? undefined, typed));
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
        error={problem?.aboutAddress ? problem.message : null}
        defaultValue={refused?.typed}
        // Back from a post without JavaScript: the page starts where its problem is.
        autoFocus={refused !== undefined && problem?.aboutAddress}
      />
      <SubmitButton pending={pending} label="Email me a sign-in link" busyLabel="Sending link…" />
      {problem && !problem.aboutAddress && (
        <Notice tone="warn" testId="sign-in-problem" focusable={outcomeFocus}>
          {problem.message}
        </Notice>
      )}
    </form>
  );
}
