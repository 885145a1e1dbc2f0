"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import type { FormState } from "@/lib/web/actions/form-state";
import { Notice } from "./notice";
import { useOutcomeFocus } from "./use-server-rendered";
import { signInAgainHref } from "./sign-in-again";

/**
 * What a form's last submit came to: its success message, or its error with Conductor's request
 * id (`hideError` when the form already shows the problem beside the field it concerns; `live`
 * false inside a live region of the form's own).
 */
export function FormOutcome({
  state,
  hideError = false,
  live = true,
  again = "try again",
  children,
}: {
  state: FormState;
  hideError?: boolean;
  live?: boolean;
  /** What the person may do again once a wait is over ("check again"). */
  again?: string;
  children?: ReactNode;
}) {
  const waitedOut = useWaitedOut(state);
  const focusable = useOutcomeFocus();
  if (state.status === "success")
    return (
      <Notice tone={state.tone ?? "ok"} live={live} focusable={focusable}>
        {state.message}
        {children}
      </Notice>
    );
  if (state.status === "error" && !hideError && waitedOut)
    return (
      <Notice tone="info" live={live} focusable={focusable}>
        The wait is over: you can {again}.
      </Notice>
    );
  if (state.status === "error" && !hideError)
    return (
      <Notice tone="error" conductorRequestId={state.conductorRequestId} live={live} focusable={focusable}>
        {state.message}
        {state.code === "unauthenticated" && <SignInAgain />}
      </Notice>
    );
  return null;
}

/**
 * Whether `state` is a spent budget's refusal that said to wait ("Wait 14 s (until 06:11:00 UTC)")
 * whose wait is over, counted from when it arrived: left on the page, it would say something no
 * longer true, so the form says the wait is over instead.
 */
function useWaitedOut(state: FormState): boolean {
  const [over, setOver] = useState<FormState | null>(null);
  useEffect(() => {
    if (state.status !== "error" || state.retryAfterSeconds === undefined) return;
    // setTimeout takes at most 2^31 - 1 ms; a budget's wait is at most an hour.
    const timer = setTimeout(() => setOver(state), Math.min(state.retryAfterSeconds * 1_000, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [state]);
  return over === state;
}

/** A session that ended elsewhere (signed out in another tab, expired): back to this page once signed in. */
function SignInAgain() {
  const pathname = usePathname();
  return (
    <>
      {" "}
      {/* A whole page load: a client navigation keeps the layout, whose header still names the person signed out. */}
      <a href={signInAgainHref(pathname)}>Sign in again</a>
    </>
  );
}
