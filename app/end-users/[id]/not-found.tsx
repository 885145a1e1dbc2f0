import Link from "next/link";
import { getViewer } from "@/lib/web/auth/viewer";

/** An id no end-user the viewer may open has: each is sent back to where they work. */
export default async function EndUserNotFound() {
  const viewer = await getViewer();
  return (
    <div className="card narrow">
      {/* The document's title (React hoists it): the refusing page's own metadata would name a page not shown. */}
      <title>End-user not found — Conductor Onboarding</title>
      <h1>End-user not found</h1>
      <p>No end-user you can open has this id.</p>
      {viewer?.kind === "operator" ? (
        <Link href="/end-users">← All end-users</Link>
      ) : (
        <Link href="/onboarding">Go to your onboarding</Link>
      )}
    </div>
  );
}
