"use client";

import { useRouter } from "next/navigation";
import { createContext, startTransition, useCallback, useContext, useState, type ReactNode } from "react";
import { RememberUnusedName } from "./unused-name-notice";

const ShowNextStep = createContext<(next: ReactNode) => void>(() => {});

/**
 * Holds the page's steps, which the onboarding form replaces with the next step its action
 * rendered, at once; the page is then fetched again in the background, so that the browser's
 * back and forward show it as it now is, and it takes over once it arrives.
 */
export function StepsInPlace({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [shown, setShown] = useState<{ next: ReactNode; over: ReactNode } | null>(null);
  const show = useCallback(
    (next: ReactNode) => {
      setShown({ next, over: children });
      startTransition(() => router.refresh());
    },
    [children, router],
  );
  return (
    <ShowNextStep value={show}>
      <RememberUnusedName>{shown && shown.over === children ? shown.next : children}</RememberUnusedName>
    </ShowNextStep>
  );
}

export const useShowNextStep = () => useContext(ShowNextStep);
