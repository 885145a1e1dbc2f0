import type { Metadata } from "next";
import Link from "next/link";
import { modes } from "@/lib/platform/env";

export const metadata: Metadata = { title: "Check your email" };

export default async function CheckEmailPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const email = (await searchParams).email;
  return (
    <div className="card narrow">
      <h1>Check your email</h1>
      <p>
        We sent a sign-in link
        {typeof email === "string" ? (
          <>
            {" "}
            to <strong>{email}</strong>
          </>
        ) : null}
        . It works once and expires in 15 minutes.
      </p>
      {modes.mail === "sandbox-mailbox" && (
        <p>
          Sandbox: open the <Link href="/sandbox/mailbox">sandbox mailbox</Link> to find the link.
        </p>
      )}
    </div>
  );
}
