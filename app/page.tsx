import type { Metadata } from "next";
import Link from "next/link";
import { ConnectionBadge } from "@/app/_components/connection/connection-badge";
import type { Person } from "@/lib/model/actor";
import { liveParts, modes, sandboxedParts } from "@/lib/platform/env";
import { SIGNED_OUT_PARAM } from "@/lib/web/auth/sign-in-page";
import { getViewer } from "@/lib/web/auth/viewer";
import { JOURNEY, journeyStep } from "./onboarding/journey";
import { Age } from "@/app/_components/age";

export const metadata: Metadata = { title: { absolute: "Conductor Onboarding" } };

/** A signed-in customer's status and the next step, instead of the generic welcome. */
async function CustomerNextStep({ customer }: { customer: Person }) {
  // Loaded here, not at the top: an anonymous visit (a cold start's first request) needs no database.
  const { onboardingStatus } = await import("@/lib/use-cases/onboarding/status");
  const status = await onboardingStatus(customer);
  const { step, next } = journeyStep(status);
  const done = status.kind === "done" ? status.endUser : null;
  return (
    <div className="card narrow" data-testid="next-step">
      <p>
        {done ? (
          <>
            <strong>{done.companyName}</strong> · QuickBooks Desktop:{" "}
            <ConnectionBadge status={done.connection.status} />{" "}
            <span className="muted" data-testid="status-age">
              (
              {done.connection.checkedAt ? (
                <>
                  last checked <Age at={done.connection.checkedAt} />
                </>
              ) : (
                "not checked yet"
              )}
              )
            </span>
          </>
        ) : (
          "Your company is not set up yet."
        )}
      </p>
      <p className="muted">
        Step {step + 1} of {JOURNEY.length}: {JOURNEY[step]}
      </p>
      <p>
        <Link className="button" href="/onboarding">
          {next}
        </Link>
      </p>
    </div>
  );
}

/** What the app does, said to whoever is reading. */
const LEDE = {
  visitor:
    "Sign in with your email, name your company, and we set up your Conductor account so your QuickBooks Desktop data can flow to us securely.",
  customer:
    "Name your company and we set up your Conductor account, then connect QuickBooks Desktop so its data can flow to us securely.",
  operator:
    "Customers sign in with their email and name their company; we set up their Conductor account so their QuickBooks Desktop data can flow to us securely.",
};

const SIGNED_OUT = {
  here: "You are signed out in this browser.",
  everywhere: "You are signed out in every browser and on every device: each of your sessions has ended.",
};

export default async function LandingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await getViewer();
  const signedOut = (await searchParams)[SIGNED_OUT_PARAM];
  const audience = viewer?.kind === "operator" ? "operator" : "everyone";
  const sandboxed = sandboxedParts(modes, audience);
  const live = liveParts(modes, audience);
  return (
    <>
      {!viewer && (signedOut === "here" || signedOut === "everywhere") && (
        <p className="notice notice-ok" role="status" data-testid="signed-out">
          {SIGNED_OUT[signedOut]}
        </p>
      )}
      <h1>Connect your company to QuickBooks Desktop</h1>
      <p className="lede">{LEDE[viewer?.kind ?? "visitor"]}</p>
      {viewer?.kind === "customer" ? (
        <CustomerNextStep customer={viewer} />
      ) : (
        <div className="card narrow">
          <p>
            {viewer ? (
              <Link className="button" href="/end-users">
                Open end-users
              </Link>
            ) : (
              <Link className="button" href="/signin">
                Sign in with email
              </Link>
            )}
          </p>
        </div>
      )}
      {sandboxed.length > 0 && (
        <div className="notice notice-warn" role="note">
          <p>
            <strong>Sandbox.</strong> These parts are simulated on this server: {sandboxed.join(", ")}.{" "}
            {live.length
              ? `These are live: ${live.join(", ")}. What is done here reaches them.`
              : "Nothing reaches the real services."}
          </p>
        </div>
      )}
    </>
  );
}
