"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      setError("Enter an email address, like you@company.com.");
      return;
    }
    setPending(true);
    setError(null);
    const result = await signIn("email", { email, callbackUrl, redirect: false }).catch(() => undefined);
    if (!result || result.error) {
      setPending(false);
      setError(
        result?.error === "RateLimited"
          ? "Too many sign-in links were asked for. Wait a minute, then try again."
          : "We could not send the sign-in email. Try again in a moment.",
      );
      return;
    }
    router.push(`/signin/check-email?email=${encodeURIComponent(email)}`);
  }

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div>
        <label htmlFor="email">Work email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "email-error" : undefined}
        />
        {error && (
          <p id="email-error" className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div>
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending && <span className="spinner" aria-hidden="true" />}
          {pending ? "Sending link…" : "Email me a sign-in link"}
        </button>
      </div>
    </form>
  );
}
