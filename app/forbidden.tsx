import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="card narrow">
      <h1>Not allowed</h1>
      <p>Your account cannot open this page.</p>
      <Link href="/">Go to the start page</Link>
    </div>
  );
}
