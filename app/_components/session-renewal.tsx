"use client";

import { useEffect } from "react";

const RENEWED_AT = "session-renewed-at";

/**
 * Asks next-auth for the session at most once every `everyMs`: its answer (private, no-store)
 * carries the session cookie with a new expiry. Pages cannot set cookies, so without this a
 * person signed in every day would still be signed out when the cookie from sign-in expires.
 */
export function SessionRenewal({ everyMs }: { everyMs: number }) {
  useEffect(() => {
    const renewedAt = Number(localStorage.getItem(RENEWED_AT));
    if (Date.now() - renewedAt < everyMs) return;
    fetch("/api/auth/session", { cache: "no-store" })
      .then((response) => {
        if (response.ok) localStorage.setItem(RENEWED_AT, String(Date.now()));
      })
      // Offline or the server unreachable: the next page tries again.
      .catch(() => {});
  }, [everyMs]);
  return null;
}
