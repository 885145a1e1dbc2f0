"use client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card narrow">
      <h1>Something went wrong</h1>
      <p>
        The page could not be shown. Try again; if it keeps failing, quote this reference: {error.digest ?? "none"}.
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
