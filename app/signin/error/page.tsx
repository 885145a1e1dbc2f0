import type { Metadata } from "next";
import { headers } from "next/headers";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { sameOriginPath } from "@/lib/web/http/same-origin";
import { SignInProblem } from "@/app/_components/sign-in-problem";
import { LIMIT_MESSAGES } from "@/app/_components/sign-in-limit-messages";

export const metadata: Metadata = { title: "Sign-in problem" };

// A Map, so that a code such as `toString` or `__proto__` finds nothing rather than Object's own.
const messages = new Map([
  [
    "Verification",
    "That sign-in link has already been used, has expired, or was replaced by a newer one sent to the same address. Use the newest, or ask for a new one.",
  ],
  ["EmailSignin", "We could not send the sign-in email. Try again in a moment."],
  ["AccessDenied", "You are not allowed to sign in."],
  ["Configuration", "Sign-in is not configured correctly on this server."],
  ...Object.entries(LIMIT_MESSAGES),
]);

export default async function SignInErrorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const code = params.error;
  const message = (typeof code === "string" && messages.get(code)) || "Something went wrong while signing you in.";
  // Only a path on this site, as the sign-in page itself takes it.
  const callbackUrl = sameOriginPath(params.callbackUrl, publicOrigin(await headers()));
  return <SignInProblem message={message} callbackUrl={callbackUrl} />;
}
