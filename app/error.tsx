"use client";

import { useRouter } from "next/navigation";
import { startTransition } from "react";

/**
 * A page that failed on the server (the database or another part down). "Try again" asks the
 * server for the page anew: `reset` alone would only re-render what the browser already has.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  return (
    <div className="card narrow" data-testid="error-page">
      <h1>Something went wrong</h1>
      <p>
        The page could not be shown. Try again; if it keeps failing, quote this reference: {error.digest ?? "none"}.
      </p>
      <button
        type="button"
        onClick={() =>
          startTransition(() => {
            router.refresh();
            reset();
          })
        }
      >
        Try again
      </button>
    </div>
  );
}
