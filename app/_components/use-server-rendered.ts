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
