import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/**
 * True while rendered on the server (and while hydrating what it sent), false once the browser
 * renders: what a form shows in the page's first render came back from a post without JavaScript.
 */
export const useServerRendered = (): boolean =>
  useSyncExternalStore(
    subscribeToNothing,
    () => false,
    () => true,
  );

/**
 * How a form's outcome takes the focus: where the page starts when it came back from a post
 * without JavaScript; else focusable only (hydrating such a page must not take away the focus the
 * browser gave it).
 */
export const useOutcomeFocus = (): "on-load" | true => (useServerRendered() ? "on-load" : true);
