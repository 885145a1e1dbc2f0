"use client";

import { useEffect, useRef, type ReactNode } from "react";

const KEY = "onboarding:focus-next-step";

/**
 * The form is replaced by the next step once its action ends, and the focus it held drops to the
 * page. `markSubmitted` (on submit) and `NextStepHeading` (on mount) move it to the next step's
 * heading, only after a submit: a page loaded or reloaded keeps the focus where the browser puts it.
 */
export const markSubmitted = () => sessionStorage.setItem(KEY, "1");
export const forgetSubmitted = () => sessionStorage.removeItem(KEY);

export function NextStepHeading({ id, children }: { id: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (sessionStorage.getItem(KEY) !== "1") return;
    forgetSubmitted();
    heading.current?.focus();
  }, []);
  return (
    <h2 id={id} ref={heading} tabIndex={-1}>
      {children}
    </h2>
  );
}
