import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card narrow">
      {/* The document's title (React hoists it): the refusing page's own metadata would name a page not shown. */}
      <title>Not found — Conductor Onboarding</title>
      <h1>Not found</h1>
      <p>There is nothing here, or you cannot see it.</p>
      <Link href="/">Go to the start page</Link>
    </div>
  );
}
