import Link from "next/link";
import { signInHref } from "@/lib/web/auth/sign-in-page";

/** Why sign-in did not happen, and the way to a new link. */
export function SignInProblem({ message, callbackUrl = "/" }: { message: string; callbackUrl?: string }) {
  return (
    <div className="card narrow">
      <h1>Could not sign you in</h1>
      <p className="notice notice-error" role="alert">
        {message}
      </p>
      <p>
        <Link className="button" href={callbackUrl === "/" ? "/signin" : signInHref(callbackUrl)}>
          Get a new sign-in link
        </Link>
      </p>
    </div>
  );
}
