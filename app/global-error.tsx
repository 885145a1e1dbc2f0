"use client";

/** The last resort, for a failure in the root layout itself: a whole document with a way to retry. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body>
        <main id="main">
          <h1>Something went wrong</h1>
          <p>The page could not be shown. Reference: {error.digest ?? "none"}.</p>
          <p>
            <a href="">Try again</a>
          </p>
        </main>
      </body>
    </html>
  );
}
