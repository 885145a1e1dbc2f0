import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="card narrow">
      {/* The document's title (React hoists it): the refusing page's own metadata would name a page not shown. */}
      <title>Not allowed — Conductor Onboarding</title>
      <h1>Not allowed</h1>
      <p>Your account cannot open this page.</p>
      <Link href="/">Go to the start page</Link>
    </div>
  );
}
