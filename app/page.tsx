import Link from "next/link";
import { modes, sandboxedParts } from "@/lib/platform/env";
import { getViewer } from "@/lib/web/auth/viewer";

export default async function LandingPage() {
  const viewer = await getViewer();
  const sandboxed = sandboxedParts(modes);
  return (
    <>
      <h1>Connect your company to QuickBooks Desktop</h1>
      <p className="lede">
        Sign in with your email, name your company, and we set up your Conductor account so your QuickBooks Desktop data
        can flow to us securely.
      </p>
      <div className="card narrow">
        {!viewer && (
          <p>
            <Link className="button" href="/signin">
              Sign in with email
            </Link>
          </p>
        )}
        {viewer?.kind === "customer" && (
          <p>
            <Link className="button" href="/onboarding">
              Continue to onboarding
            </Link>
          </p>
        )}
        {viewer?.kind === "operator" && (
          <p>
            <Link className="button" href="/end-users">
              Open end-users
            </Link>
          </p>
        )}
      </div>
      {sandboxed.length > 0 && (
        <div className="notice notice-warn" role="note">
          <p>
            <strong>Sandbox.</strong> These parts are simulated on this server: {sandboxed.join(", ")}. Nothing reaches
            the real services.
          </p>
        </div>
      )}
    </>
  );
}
