import type { Metadata } from "next";
import Link from "next/link";
import { emailSchema } from "@/lib/model/text";
import { modes } from "@/lib/platform/env";
import { SIGN_IN_LINK_MAX_AGE_S } from "@/lib/web/auth/session-lifetime";

// One string, as the text it stands for: React marks the seams between adjacent pieces of text.
const LIFETIME = `. It works once and expires in ${SIGN_IN_LINK_MAX_AGE_S / 60} minutes; any link sent to this address before it no longer works.`;

export const metadata: Metadata = { title: "Check your email" };

export default async function CheckEmailPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Shown only when it is an address: the link that brings someone here is anybody's to write.
  const email = emailSchema.safeParse((await searchParams).email).data;
  return (
    <div className="card narrow">
      <h1>Check your email</h1>
      <p>
        We sent a sign-in link
        {email ? (
          <>
            {" "}
            to <strong>{email}</strong>
          </>
        ) : null}
        {LIFETIME}
      </p>
      {modes.mail === "sandbox-mailbox" && (
        <p>
          Sandbox: open the <Link href="/sandbox/mailbox">sandbox mailbox</Link> to find the link.
        </p>
      )}
    </div>
  );
}
