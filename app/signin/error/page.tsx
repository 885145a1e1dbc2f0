import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Sign-in problem" };

// A Map, so that a code such as `toString` or `__proto__` finds nothing rather than Object's own.
const messages = new Map([
  ["Verification", "That sign-in link has already been used or has expired. Ask for a new one."],
  ["EmailSignin", "We could not send the sign-in email. Try again in a moment."],
  ["AccessDenied", "You are not allowed to sign in."],
  ["Configuration", "Sign-in is not configured correctly on this server."],
  ["RateLimited", "Too many sign-in links were asked for. Wait a minute, then try again."],
]);

export default async function SignInErrorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const code = (await searchParams).error;
  const message = (typeof code === "string" && messages.get(code)) || "Something went wrong while signing you in.";
  return (
    <div className="card narrow">
      <h1>Could not sign you in</h1>
      <p className="notice notice-error" role="alert">
        {message}
      </p>
      <p>
        <Link className="button" href="/signin">
          Get a new sign-in link
        </Link>
      </p>
    </div>
  );
}
