"use client";

import { useEffect, useRef, type ReactNode, type RefObject } from "react";
import { useServerRendered } from "./use-server-rendered";

const KEY = "focus-after-submit";

/**
 * A form that is replaced once its action ends (onboarding's by the next step or by what happened
 * instead; a list row's by the page's account of it) takes the focus with it to the page.
 * `markSubmitted` (on submit) and what replaced it (on mount) move the focus there, only after a
 * submit: a page loaded or reloaded keeps the focus where the browser puts it. A form that stays
 * and shows its own outcome calls `forgetSubmitted`.
 */
export const markSubmitted = () => sessionStorage.setItem(KEY, "1");
export const forgetSubmitted = () => sessionStorage.removeItem(KEY);

function useFocusAfterSubmit(target: RefObject<HTMLElement | null>) {
  useEffect(() => {
    if (sessionStorage.getItem(KEY) !== "1") return;
    forgetSubmitted();
    target.current?.focus();
  }, [target]);
}

export function NextStepHeading({ id, children }: { id: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusAfterSubmit(heading);
  return (
    <h2 id={id} ref={heading} tabIndex={-1}>
      {children}
    </h2>
  );
}

/** What a submit led to instead of the next step, read out where the form was. */
export function SubmitOutcome({ children }: { children: ReactNode }) {
  const outcome = useRef<HTMLDivElement>(null);
  useFocusAfterSubmit(outcome);
  return (
    <div ref={outcome} tabIndex={-1} className="submit-outcome" data-testid="submit-outcome">
      {children}
    </div>
  );
}

/**
 * Marks what its parent starts as a submit: a GET form's submit, or a click on one of its links
 * (a pager's, whose link may not be on the page it leads to). The page it leads to puts the focus
 * on its `ArrivalSummary`.
 */
export function MarksArrival({ on }: { on: "submit" | "link" }) {
  const marker = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const parent = marker.current?.parentElement;
    if (!parent) return;
    const mark = (event: Event) => {
      if (on === "submit") return markSubmitted();
      // A link opened elsewhere (a new tab or window) leaves this page as it is.
      const elsewhere =
        event instanceof MouseEvent && (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey);
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      // A link to the view already shown (the current filter) leads nowhere new: nothing would take the focus.
      if (!elsewhere && link instanceof HTMLAnchorElement && link.href !== window.location.href) markSubmitted();
    };
    const type = on === "submit" ? "submit" : "click";
    parent.addEventListener(type, mark);
    return () => parent.removeEventListener(type, mark);
  }, [on]);
  return <span ref={marker} hidden />;
}

/**
 * What a list or a filtered view shows, said in a sentence that takes the focus after a search, a
 * filter or a page change (`MarksArrival`): a screen reader reads it instead of starting over at
 * the top. Give it a `key` that changes with the view, so a view reached in place mounts it anew.
 */
export function ArrivalSummary({
  children,
  className,
  testId,
  focusOnLoad = false,
}: {
  children: ReactNode;
  className?: string;
  testId?: string;
  /** Also where a page loaded with it starts (filters it could not use, sent without JavaScript). */
  focusOnLoad?: boolean;
}) {
  const summary = useRef<HTMLParagraphElement>(null);
  useFocusAfterSubmit(summary);
  const serverRendered = useServerRendered();
  return (
    <p
      ref={summary}
      tabIndex={-1}
      className={className}
      data-testid={testId}
      autoFocus={(focusOnLoad && serverRendered) || undefined}
    >
      {children}
    </p>
  );
}
